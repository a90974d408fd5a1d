import { randomInt } from "node:crypto";
import { FileSchema, pageOf } from "@devflow/contracts";
import { expect, test } from "@playwright/test";
import { buildDocx, buildPdf } from "@devflow/extract/testing";
import { ADA, DEMO_CO, expectError, organizationOf, signIn, unique, uniqueKey } from "../support/devflow";
import { WEB_URL } from "../support/ports";

/**
 * Uploads, end to end: a PDF and a Word document dropped into a project through the browser are
 * stored, processed by the worker (extracted, chunked, indexed) with their progress on screen, and
 * end up searchable; a picture renamed .pdf is refused with a reason; the stored bytes download
 * unchanged; another organization can reach none of it.
 */

function distinctiveWord(prefix: string): string {
  return `${prefix}${Array.from({ length: 8 }, () => String.fromCharCode(97 + randomInt(26))).join("")}`;
}

test("uploads a PDF and a Word file, watches them get processed, and downloads them again", async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ baseURL: WEB_URL });
  const { session, api } = await signIn(context.request, ADA.email);
  const demoCo = api.in(organizationOf(session, DEMO_CO.slug).id);
  const project = await demoCo.createProject({ name: unique("Files"), key: uniqueKey() });
  const pdfWord = distinctiveWord("pelican");
  const docxWord = distinctiveWord("walrus");
  const pdf = await buildPdf(["Settlement runbook", `The ${pdfWord} job settles card payments nightly.`]);
  const docx = await buildDocx([
    { heading: "Incident policy" },
    { paragraph: `Page the ${docxWord} rotation within five minutes.` },
  ]);

  const page = await context.newPage();
  await page.goto(`/${DEMO_CO.slug}/projects/${project.id}`);
  const panel = page.getByTestId("files-panel");
  await expect(panel.getByTestId("files-empty")).toBeVisible();

  await panel.getByTestId("file-input").setInputFiles([
    { name: "settlement.pdf", mimeType: "application/pdf", buffer: pdf },
    {
      name: "incident-policy.docx",
      mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      buffer: docx,
    },
  ]);
  const rows = panel.getByTestId("file-row");
  await expect(rows).toHaveCount(2, { timeout: 20_000 });
  for (const name of ["settlement.pdf", "incident-policy.docx"]) {
    const row = rows.filter({ hasText: name });
    await expect(row).toHaveAttribute("data-status", "ready", { timeout: 60_000 });
    await expect(row.getByTestId("file-status")).toContainText("Searchable");
  }
  await expect(rows.filter({ hasText: "settlement.pdf" })).toContainText("PDF · ");
  await expect(rows.filter({ hasText: "settlement.pdf" })).toContainText("2 pages");

  // A picture calling itself a PDF is turned away, and says why.
  const png = Buffer.concat([Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), Buffer.alloc(256)]);
  await panel.getByTestId("file-input").setInputFiles([{ name: "diagram.pdf", mimeType: "application/pdf", buffer: png }]);
  await expect(panel.getByTestId("upload-row").filter({ hasText: "diagram.pdf" })).toContainText(
    "Only PDF, Word (.docx), Markdown and plain-text files can be uploaded",
  );
  await expect(rows).toHaveCount(2);

  // What was stored is what was sent; the listing agrees with the page.
  const listed = await demoCo.ok("GET", `/projects/${project.id}/files`, (b) => pageOf(FileSchema).parse(b));
  const stored = listed.items.find((f) => f.name === "settlement.pdf")!;
  expect(stored).toMatchObject({ kind: "pdf", status: "ready", sizeBytes: pdf.length, pageCount: 2 });
  expect(stored.chunkCount).toBeGreaterThan(0);
  const download = await context.request.get(`/api/v1/files/${stored.id}/content`, {
    headers: { "x-organization-id": organizationOf(session, DEMO_CO.slug).id },
  });
  expect(download.status()).toBe(200);
  expect(download.headers()["content-disposition"]).toContain("attachment");
  expect(download.headers()["x-content-type-options"]).toBe("nosniff");
  expect(Buffer.compare(await download.body(), pdf)).toBe(0);

  // Another organization of hers sees nothing of it.
  const other = await api.createOrganization(unique("Elsewhere"));
  const elsewhere = api.in(other.id);
  expectError(await elsewhere.call("GET", `/files/${stored.id}`), 404, "not_found");
  expectError(await elsewhere.call("GET", `/files/${stored.id}/content`), 404, "not_found");
  expectError(await elsewhere.call("GET", `/projects/${project.id}/files`), 404, "not_found");

  // The bytes must come as an octet stream: a cross-site form cannot send that type.
  const viaForm = await context.request.post(`/api/v1/projects/${project.id}/files?name=x.txt`, {
    headers: { "x-organization-id": organizationOf(session, DEMO_CO.slug).id, "content-type": "text/plain" },
    data: "hello",
  });
  expect(viaForm.status()).toBe(415);
  await context.close();
});
