import { describe, expect, it } from "vitest";
import { DOCX_MIME } from "./content-types";
import { sniffContentType } from "./sniff-content-type";
import { buildDocx, buildPdf } from "./testing/document-fixtures";

/** The 8-byte PNG signature and an IHDR chunk header: enough for file-type to say image/png. */
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from("0000000d49484452000000010000000108060000001f15c489", "hex"),
]);

describe("sniffContentType", () => {
  it("recognises a PDF by its content, whatever it is called", async () => {
    const pdf = await buildPdf(["hello"]);
    expect(await sniffContentType(pdf, "notes.txt")).toEqual({ mime: "application/pdf", kind: "pdf" });
    expect(await sniffContentType(pdf)).toEqual({ mime: "application/pdf", kind: "pdf" });
  });

  it("recognises a DOCX (a zip) as DOCX when given the whole file", async () => {
    const docx = await buildDocx([{ heading: "Plan" }, { paragraph: "Body" }]);
    expect(await sniffContentType(docx, "plan.bin")).toEqual({ mime: DOCX_MIME, kind: "docx" });
  });

  it("refuses a DOCX head that ends before [Content_Types].xml (the docx library writes it last)", async () => {
    const docx = await buildDocx([{ paragraph: "Body" }]);
    expect(await sniffContentType(docx.subarray(0, 4100), "plan.docx")).toBeNull();
  });

  it("calls a PNG named .pdf a PNG, which is unsupported", async () => {
    expect(await sniffContentType(PNG, "report.pdf")).toBeNull();
  });

  it("accepts UTF-8 text, as Markdown only when the name ends in .md or .markdown", async () => {
    const text = Buffer.from("# Überblick\n\nPlain words, emoji 🚀.\n");
    expect(await sniffContentType(text, "notes.md")).toEqual({ mime: "text/markdown", kind: "markdown" });
    expect(await sniffContentType(text, "NOTES.MARKDOWN")).toEqual({ mime: "text/markdown", kind: "markdown" });
    expect(await sniffContentType(text, "notes.txt")).toEqual({ mime: "text/plain", kind: "text" });
    expect(await sniffContentType(text, "notes.md.exe")).toEqual({ mime: "text/plain", kind: "text" });
    expect(await sniffContentType(text)).toEqual({ mime: "text/plain", kind: "text" });
  });

  it("refuses text with NUL bytes, UTF-16, and invalid UTF-8", async () => {
    expect(await sniffContentType(Buffer.from("abc\0def"), "a.txt")).toBeNull();
    expect(await sniffContentType(Buffer.from("\ufeffhello", "utf16le"), "a.txt")).toBeNull();
    expect(await sniffContentType(Buffer.from([0x68, 0x69, 0xff, 0xfe, 0x21]), "a.md")).toBeNull();
  });

  it("tolerates a multi-byte character cut off at the end of a head", async () => {
    const head = Buffer.from("naïve café ✓").subarray(0, -1);
    expect(await sniffContentType(head, "a.md")).toEqual({ mime: "text/markdown", kind: "markdown" });
  });
});
