import { describe, expect, it } from "vitest";
import { extractText, UnreadableDocumentError } from "./extract-text";
import { buildDocx, buildPasswordProtectedPdf, buildPdf } from "./testing/document-fixtures";

describe("extractText", () => {
  it("reads each page of a PDF, with the page count and the metadata title", async () => {
    const pdf = await buildPdf(["Alpha launch checklist", "Bravo rollback plan"], { title: "Release runbook" });
    expect(await extractText(pdf, "pdf")).toEqual({
      text: "Alpha launch checklist\n\nBravo rollback plan",
      pages: 2,
      title: "Release runbook",
    });
  });

  it("leaves the title out when the PDF has none", async () => {
    const result = await extractText(await buildPdf(["Only page"]), "pdf");
    expect(result).toEqual({ text: "Only page", pages: 1 });
  });

  it("does not change the caller's buffer", async () => {
    const pdf = await buildPdf(["Same bytes"]);
    const copy = Buffer.from(pdf);
    await extractText(pdf, "pdf");
    expect(pdf.equals(copy)).toBe(true);
  });

  it("rejects a truncated PDF as corrupt, with a message for the uploader", async () => {
    const pdf = await buildPdf(["Alpha", "Bravo"]);
    const error = await extractText(pdf.subarray(0, Math.floor(pdf.length / 3)), "pdf").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableDocumentError);
    expect(error).toMatchObject({ kind: "pdf", reason: "corrupt", code: "validation_failed" });
    expect((error as Error).message).toMatch(/could not be read/);
  });

  it("rejects a password-protected PDF as encrypted", async () => {
    const error = await extractText(buildPasswordProtectedPdf(), "pdf").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableDocumentError);
    expect(error).toMatchObject({ reason: "encrypted", message: expect.stringMatching(/password-protected/) });
  });

  it("reads a DOCX with headings as Markdown headings, paragraphs and bullets in order", async () => {
    const docx = await buildDocx([
      { title: "Payments design" },
      { heading: "Overview" },
      { paragraph: "We move card capture to the new gateway." },
      { heading: "Risks", level: 2 },
      { paragraph: "Double charges during the cut-over." },
      { bullet: "Idempotency keys on every capture" },
    ]);
    expect(await extractText(docx, "docx")).toEqual({
      text: [
        "# Payments design",
        "# Overview",
        "We move card capture to the new gateway.",
        "## Risks",
        "Double charges during the cut-over.",
        "- Idempotency keys on every capture",
      ].join("\n\n"),
      title: "Payments design",
    });
  });

  it("rejects a truncated DOCX and a compound (encrypted or .doc) file", async () => {
    const docx = await buildDocx([{ paragraph: "Body" }]);
    await expect(extractText(docx.subarray(0, 2000), "docx")).rejects.toMatchObject({
      name: "UnreadableDocumentError",
      reason: "corrupt",
    });
    const compound = Buffer.concat([Buffer.from("d0cf11e0a1b11ae1", "hex"), Buffer.alloc(504)]);
    await expect(extractText(compound, "docx")).rejects.toMatchObject({ reason: "encrypted" });
  });

  it("reads Markdown and text as UTF-8, dropping a BOM and normalising line endings", async () => {
    const markdown = Buffer.from("\ufeff\r\n# Weekly notes #\r\n\r\nShip it.\r\n");
    expect(await extractText(markdown, "markdown")).toEqual({
      text: "\n# Weekly notes #\n\nShip it.\n",
      title: "Weekly notes",
    });
    expect(await extractText(Buffer.from("plain\r\ntext"), "text")).toEqual({ text: "plain\ntext" });
    expect(await extractText(Buffer.from("No heading first\n# Later"), "markdown")).toEqual({
      text: "No heading first\n# Later",
    });
  });

  it("rejects text that is not UTF-8", async () => {
    await expect(extractText(Buffer.from([0xc3, 0x28]), "text")).rejects.toMatchObject({
      name: "UnreadableDocumentError",
      reason: "corrupt",
    });
  });
});
