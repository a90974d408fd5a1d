import {
  DocumentDiffSchema,
  DocumentVersionSchema,
  RevisionSchema,
  TimelineEntrySchema,
  pageOf,
} from "@devflow/contracts";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { z } from "zod";
import { ADA, DEMO_CO, GRACE, organizationOf, signIn, unique } from "../support/devflow";
import { WEB_URL } from "../support/ports";

/**
 * A document's history in two browsers: one person names a version, both keep writing, then it
 * is restored. The restore is a new edit through the collab service, so both editors show the
 * old text at once, and the REST history (timeline, revisions, diff, text at a version) agrees.
 */

async function openAs(browser: Browser, email: string, documentPath: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: WEB_URL });
  await signIn(context.request, email);
  const page = await context.newPage();
  await page.goto(documentPath);
  await expect(page.getByTestId("sync-state")).toHaveText(/saved/i, { timeout: 15_000 });
  return page;
}

function editorText(page: Page) {
  return page.getByTestId("editor").locator(".cm-content");
}

test("names a version, compares it with the current text and restores it for everyone", async ({ browser }) => {
  const setup = await browser.newContext({ baseURL: WEB_URL });
  const { session, api } = await signIn(setup.request, ADA.email);
  const demoCo = api.in(organizationOf(session, DEMO_CO.slug).id);
  const project = await demoCo.projectNamed("Platform");
  const original = "# History\n\nThe first draft.\n";
  const doc = await demoCo.createDocument(project.id, { title: unique("History doc"), kind: "rfc", content: original });
  const path = `/${DEMO_CO.slug}/documents/${doc.id}`;

  const ada = await openAs(browser, ADA.email, path);
  const grace = await openAs(browser, GRACE.email, path);

  await ada.getByTestId("history-toggle").click();
  const panel = ada.getByTestId("history-panel");
  await panel.getByTestId("name-version").click();
  await panel.getByTestId("revision-name").fill("First draft");
  await panel.getByRole("button", { name: "Save" }).click();
  const revision = panel.getByTestId("revision-item").filter({ hasText: "First draft" });
  await expect(revision).toContainText("v0");

  await editorText(grace).click();
  await grace.keyboard.press("Control+End");
  await grace.keyboard.type("Grace adds a section.", { delay: 10 });
  for (const page of [ada, grace]) {
    await expect(page.getByTestId("sync-state")).toHaveText(/saved/i, { timeout: 15_000 });
    await expect(editorText(page)).toContainText("Grace adds a section.");
  }

  await panel.getByRole("button", { name: "Refresh" }).click();
  await expect(panel.getByTestId("history-entry").first()).toContainText(/Grace/);
  await revision.getByTestId("history-select").click();
  await panel.getByTestId("history-current").getByTestId("history-select").click();
  await expect(panel.getByTestId("diff-view")).toContainText("Grace adds a section.");
  await panel.getByTestId("diff-layout").click();
  await expect(panel.getByTestId("diff-view")).toContainText("The first draft.");

  await revision.getByTestId("history-restore").click();
  const confirm = ada.getByTestId("confirm-dialog");
  await confirm.getByRole("button", { name: "Restore this version" }).click();
  await expect(panel.getByTestId("restore-notice")).toContainText("Restored v0");

  for (const page of [ada, grace]) {
    await expect(editorText(page)).not.toContainText("Grace adds a section.", { timeout: 10_000 });
    await expect(editorText(page)).toContainText("The first draft.");
    await expect(page.getByTestId("sync-state")).toHaveText(/saved/i, { timeout: 15_000 });
  }
  const stored = await demoCo.getDocument(doc.id);
  expect(stored.content).toBe(original);

  // The REST history tells the same story.
  const timeline = await demoCo.ok("GET", `/documents/${doc.id}/timeline`, (b) => pageOf(TimelineEntrySchema).parse(b));
  expect(timeline.items[0]).toMatchObject({ toVersion: stored.version, user: { name: expect.stringMatching(/Ada/) } });
  const revisions = await demoCo.ok("GET", `/documents/${doc.id}/revisions`, (b) =>
    z.object({ items: z.array(RevisionSchema) }).parse(b),
  );
  expect(revisions.items.map((r) => r.name)).toEqual(["First draft"]);
  const before = stored.version - 1;
  const atBefore = await demoCo.ok("GET", `/documents/${doc.id}/versions/${before}`, (b) =>
    DocumentVersionSchema.parse(b),
  );
  expect(atBefore.content).toContain("Grace adds a section.");
  const diff = await demoCo.ok("GET", `/documents/${doc.id}/diff`, (b) => DocumentDiffSchema.parse(b), {
    params: { from: 0, to: stored.version },
  });
  expect(diff.hunks).toEqual([]);
  expect((await demoCo.call("GET", `/documents/${doc.id}/versions/${stored.version + 1}`)).status).toBe(404);

  await demoCo.call("DELETE", `/documents/${doc.id}`);
  await setup.close();
});
