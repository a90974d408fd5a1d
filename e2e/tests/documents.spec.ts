import { expect, test as base, type Page } from "@playwright/test";
import {
  ADA,
  Api,
  DEMO_CO,
  documentAction,
  documentRow,
  expectError,
  openProject,
  organizationOf,
  PLATFORM_DOCUMENTS,
  signIn,
  unique,
  uniqueKey,
} from "../support/devflow";

interface AdaInDemoCo {
  /** The REST API as Ada in Demo Co (shares the page's cookies). */
  api: Api;
  platformId: string;
  mobileId: string;
  /** A document of this test's own in Platform, removed again when the test ends. */
  createDocument: (title: string) => Promise<string>;
  /** DELETEs this API path (`/documents/<id>`, `/projects/<id>`) when the test ends, if it still exists. */
  cleanUp: (path: string) => void;
}

// Every test signs Ada in (through the API, sharing the page's cookies) and tidies up its own
// documents afterwards, so Platform stays close to its seeded state whatever runs beside it.
const test = base.extend<{ ada: AdaInDemoCo }>({
  ada: async ({ page }, use) => {
    const { session } = await signIn(page.request, ADA.email);
    const api = new Api(page.request, organizationOf(session, DEMO_CO.slug).id);
    const platformId = (await api.projectNamed("Platform")).id;
    const mobileId = (await api.projectNamed("Mobile")).id;
    const leftovers: string[] = [];
    await use({
      api,
      platformId,
      mobileId,
      createDocument: async (title) => {
        const document = await api.createDocument(platformId, { title, kind: "adr", content: `# ${title}\n` });
        leftovers.push(`/documents/${document.id}`);
        return document.id;
      },
      cleanUp: (path) => void leftovers.push(path),
    });
    for (const path of leftovers) {
      const { status } = await api.call("DELETE", path);
      expect([204, 404], `DELETE ${path}`).toContain(status);
    }
  },
});

function documentList(page: Page) {
  return page.getByTestId("document-list");
}

test("Platform lists its five seeded documents, and one opens to its content", async ({ page, ada }, testInfo) => {
  await openProject(page, DEMO_CO.slug, "Platform");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Platform PLAT");
  await expect(page.getByRole("tab", { name: "Active" })).toHaveAttribute("aria-selected", "true");
  for (const { title, kind } of PLATFORM_DOCUMENTS) {
    const row = documentRow(page, title);
    await expect(row).toBeVisible();
    await expect(row.getByTestId("kind-badge")).toHaveText(kind);
    await expect(row).toContainText("Draft");
  }
  await expect(page.getByRole("link", { name: "PLAT Platform" })).toHaveAttribute("aria-current", "page");
  // Other tests may add documents beside them; the seeded five are always there.
  expect((await ada.api.listDocuments(ada.platformId, { limit: 100 })).items.length).toBeGreaterThanOrEqual(5);

  await testInfo.attach("documents-list", { body: await page.screenshot(), contentType: "image/png" });

  await documentRow(page, "System architecture overview").getByTestId("document-title").click();
  await expect(page).toHaveURL(new RegExp(`/${DEMO_CO.slug}/documents/[0-9a-f-]{36}$`));
  await expect(page.getByTestId("document-heading")).toHaveText("System architecture overview");
  await expect(page.getByTestId("document-reader").getByTestId("kind-badge")).toHaveText("Design doc");
  await expect(page.getByTestId("document-content")).toContainText("# System Architecture Overview");
  await expect(page.getByTestId("document-content")).toContainText("## Executive Summary");

  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Platform" }).click();
  await expect(documentRow(page, "System architecture overview")).toBeVisible();
});

test("creates a document with the keyboard and opens it", async ({ page, ada }) => {
  const title = unique("RFC: Keyboard-made");
  await openProject(page, DEMO_CO.slug, "Platform");

  await page.getByTestId("new-document").press("Enter");
  const dialog = page.getByTestId("new-document-dialog");
  await expect(dialog.getByRole("heading", { name: "New document" })).toBeVisible();
  const titleField = dialog.getByRole("textbox", { name: "Title" });
  await expect(titleField).toBeFocused();
  await expect(dialog.getByRole("button", { name: "Create document" })).toBeDisabled();

  await page.keyboard.type(title);
  await page.keyboard.press("Tab");
  await expect(dialog.getByRole("combobox", { name: "Template" })).toBeFocused();
  await page.keyboard.press("Tab");
  const kind = dialog.getByRole("combobox", { name: "Kind" });
  await expect(kind).toBeFocused();
  await kind.selectOption({ label: "RFC" });
  await titleField.press("Enter");

  await expect(dialog).toBeHidden();
  const row = documentRow(page, title);
  await expect(row).toBeVisible();
  await expect(row.getByTestId("kind-badge")).toHaveText("RFC");
  await expect(row).toContainText("Draft");
  // Newest first: above every seeded document (other tests may be adding theirs at the same time).
  const titles = documentList(page).getByTestId("document-title");
  await expect
    .poll(async () => {
      const shown = await titles.allTextContents();
      const at = shown.indexOf(title);
      return at >= 0 && PLATFORM_DOCUMENTS.every((seeded) => at < shown.indexOf(seeded.title));
    })
    .toBe(true);

  await row.getByTestId("document-title").click();
  await expect(page).toHaveURL(new RegExp(`/${DEMO_CO.slug}/documents/[0-9a-f-]{36}$`));
  const documentId = page.url().split("/").at(-1)!;
  ada.cleanUp(`/documents/${documentId}`);
  await expect(page.getByTestId("document-heading")).toHaveText(title);
  await expect(page.getByTestId("document-reader").getByTestId("kind-badge")).toHaveText("RFC");
  await expect(page.getByTestId("document-reader")).toContainText("Nothing to preview yet.");
  await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toContainText(`Platform/${title}`);

  const stored = await ada.api.getDocument(documentId);
  expect(stored).toMatchObject({ title, kind: "rfc", projectId: ada.platformId, content: "", archivedAt: null });
});

test("Escape closes the new-document dialog without creating anything", async ({ page, ada }) => {
  const title = unique("Abandoned draft");
  await openProject(page, DEMO_CO.slug, "Platform");
  await page.getByTestId("new-document").click();
  const dialog = page.getByTestId("new-document-dialog");
  await dialog.getByRole("textbox", { name: "Title" }).fill(title);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(documentRow(page, "System architecture overview")).toBeVisible();
  await expect(documentRow(page, title)).toHaveCount(0);
  const all = await ada.api.listDocuments(ada.platformId, { limit: 100 });
  expect(all.items.map((d) => d.title)).not.toContain(title);
});

test("renames a document inline: Escape cancels, Enter saves", async ({ page, ada }) => {
  const title = unique("ADR: Before rename");
  const renamed = unique("ADR: After rename");
  const documentId = await ada.createDocument(title);
  await openProject(page, DEMO_CO.slug, "Platform");
  const row = page.locator(`[data-testid="document-row"][data-document-id="${documentId}"]`);
  await expect(row.getByTestId("document-title")).toHaveText(title);

  await documentAction(row, "rename-document");
  const input = row.getByRole("textbox", { name: "Document title" });
  await expect(input).toBeFocused();
  await expect(input).toHaveValue(title);
  await input.fill("This must not be saved");
  await input.press("Escape");
  await expect(input).toBeHidden();
  await expect(row.getByTestId("document-title")).toHaveText(title);
  expect((await ada.api.getDocument(documentId)).title).toBe(title);

  await documentAction(row, "rename-document");
  await expect(input).toHaveValue(title);
  await input.fill(renamed);
  await input.press("Enter");
  await expect(input).toBeHidden();
  await expect(row.getByTestId("document-title")).toHaveText(renamed);
  await expect.poll(async () => (await ada.api.getDocument(documentId)).title).toBe(renamed);

  await page.reload();
  await expect(documentRow(page, renamed)).toBeVisible();
  await expect(documentRow(page, title)).toHaveCount(0);
});

test("moves a document to Mobile and finds it there", async ({ page, ada }) => {
  const title = unique("ADR: Moving house");
  const documentId = await ada.createDocument(title);
  await openProject(page, DEMO_CO.slug, "Platform");

  await documentAction(documentRow(page, title), "move-document");
  const dialog = page.getByTestId("move-document-dialog");
  await expect(dialog).toContainText(`Move “${title}” to another project`);
  const destination = dialog.getByRole("combobox", { name: "Destination project" });
  await expect(destination.getByRole("option", { name: "Mobile (MOB)" })).toHaveCount(1);
  // A document cannot be moved to where it already is.
  await expect(destination.getByRole("option", { name: "Platform (PLAT)" })).toHaveCount(0);
  await destination.selectOption({ label: "Mobile (MOB)" });
  await dialog.getByRole("button", { name: "Move" }).click();
  await expect(dialog).toBeHidden();
  await expect(documentRow(page, title)).toHaveCount(0);
  await expect(documentRow(page, "System architecture overview")).toBeVisible();

  await page.getByTestId("projects-nav").getByRole("link", { name: "MOB Mobile" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Mobile MOB");
  await expect(documentRow(page, title)).toBeVisible();
  expect((await ada.api.getDocument(documentId)).projectId).toBe(ada.mobileId);
});

test("archives a document, finds it under Archived, and unarchives it", async ({ page, ada }) => {
  const title = unique("ADR: Shelved");
  const documentId = await ada.createDocument(title);
  await openProject(page, DEMO_CO.slug, "Platform");
  const activeTab = page.getByRole("tab", { name: "Active" });
  const archivedTab = page.getByRole("tab", { name: "Archived" });

  await documentAction(documentRow(page, title), "archive-document");
  await expect(documentRow(page, title)).toHaveCount(0);
  await expect(documentRow(page, "System architecture overview")).toBeVisible();
  expect((await ada.api.getDocument(documentId)).archivedAt).not.toBeNull();

  await archivedTab.click();
  await expect(archivedTab).toHaveAttribute("aria-selected", "true");
  await expect(documentRow(page, title)).toBeVisible();
  // The archived tab lists archived documents only.
  await expect(documentRow(page, "System architecture overview")).toHaveCount(0);

  await documentAction(documentRow(page, title), "unarchive-document");
  await expect(documentRow(page, title)).toHaveCount(0);
  await activeTab.click();
  await expect(activeTab).toHaveAttribute("aria-selected", "true");
  await expect(documentRow(page, title)).toBeVisible();
  expect((await ada.api.getDocument(documentId)).archivedAt).toBeNull();
});

test("deletes a document only after confirmation", async ({ page, ada }) => {
  const title = unique("ADR: Doomed");
  const documentId = await ada.createDocument(title);
  await openProject(page, DEMO_CO.slug, "Platform");
  const confirm = page.getByRole("dialog", { name: "Delete document?" });

  await documentAction(documentRow(page, title), "delete-document");
  await expect(confirm).toBeVisible();
  await expect(confirm).toContainText(`“${title}” and its history will be deleted for everyone`);
  // Cancel has the focus, so a reflexive Enter destroys nothing.
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(confirm).toBeHidden();
  await expect(documentRow(page, title)).toBeVisible();
  expect((await ada.api.getDocument(documentId)).title).toBe(title);

  await documentAction(documentRow(page, title), "delete-document");
  await confirm.getByRole("button", { name: "Delete document" }).click();
  await expect(confirm).toBeHidden();
  await expect(documentRow(page, title)).toHaveCount(0);
  expectError(await ada.api.call("GET", `/documents/${documentId}`), 404, "not_found");

  await page.reload();
  await expect(documentRow(page, "System architecture overview")).toBeVisible();
  await expect(documentRow(page, title)).toHaveCount(0);
});

test("a brand-new project shows the empty state, then its first document", async ({ page, ada }) => {
  const name = unique("Scratchpad");
  const key = uniqueKey();
  const title = unique("First thoughts");
  await page.goto(`/${DEMO_CO.slug}`);
  await page.getByTestId("new-project").click();
  const dialog = page.getByTestId("new-project-dialog");
  await dialog.getByRole("textbox", { name: "Name" }).fill(name);
  await dialog.getByRole("textbox", { name: "Key" }).fill(key.toLowerCase());
  await expect(dialog.getByRole("textbox", { name: "Key" })).toHaveValue(key);
  await dialog.getByRole("textbox", { name: "Description" }).fill("Made by an e2e test.");
  await dialog.getByRole("button", { name: "Create project" }).click();

  await expect(page).toHaveURL(new RegExp(`/${DEMO_CO.slug}/projects/[0-9a-f-]{36}$`));
  const projectId = page.url().split("/").at(-1)!;
  ada.cleanUp(`/projects/${projectId}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${name} ${key}`);
  await expect(page.getByText("Made by an e2e test. · 0 documents")).toBeVisible();
  const empty = page.getByTestId("documents-empty");
  await expect(empty).toContainText("No documents yet — create the first one");
  await expect(documentList(page)).toHaveCount(0);
  await expect(page.getByTestId("projects-nav").getByRole("link", { name: `${key} ${name}` })).toBeVisible();

  await page.getByRole("tab", { name: "Archived" }).click();
  await expect(empty).toContainText("No archived documents");
  await page.getByRole("tab", { name: "Active" }).click();

  await empty.getByRole("button", { name: "Create the first document" }).click();
  const newDocument = page.getByTestId("new-document-dialog");
  await newDocument.getByRole("textbox", { name: "Title" }).fill(title);
  await newDocument.getByRole("textbox", { name: "Title" }).press("Enter");
  await expect(newDocument).toBeHidden();
  await expect(documentRow(page, title)).toBeVisible();
  await expect(documentRow(page, title).getByTestId("kind-badge")).toHaveText("Design doc");
  await expect(empty).toHaveCount(0);
  await expect(page.getByText("Made by an e2e test. · 1 document")).toBeVisible();

  expect(await ada.api.projectNamed(name)).toMatchObject({ id: projectId, key, documentCount: 1 });
});

test("starts a document from the RFC template, and saves a document as the organization's template", async ({
  page,
  ada,
}) => {
  const title = unique("Rate limiting");
  await openProject(page, DEMO_CO.slug, "Platform");
  await page.getByTestId("new-document").click();
  const dialog = page.getByTestId("new-document-dialog");
  await dialog.getByRole("textbox", { name: "Title" }).fill(title);
  await dialog.getByRole("combobox", { name: "Template" }).selectOption({ label: "RFC" });
  await expect(dialog.getByRole("combobox", { name: "Kind" })).toHaveValue("rfc");
  await dialog.getByRole("button", { name: "Create document" }).click();
  await expect(dialog).toBeHidden();

  const row = documentRow(page, title);
  await expect(row.getByTestId("kind-badge")).toHaveText("RFC");
  const created = (await ada.api.listDocuments(ada.platformId, { limit: 100 })).items.find((d) => d.title === title)!;
  ada.cleanUp(`/documents/${created.id}`);
  const stored = await ada.api.getDocument(created.id);
  expect(stored.content).toContain(`# RFC: ${title}`);
  expect(stored.content).toContain("## Unresolved questions");
  expect(stored.content).not.toContain("{{");

  // That document, saved as a template, is offered for the next one.
  const templateName = unique("Our RFC");
  await documentAction(row, "save-as-template");
  const save = page.getByTestId("save-template-dialog");
  await save.getByRole("textbox", { name: "Template name" }).fill(templateName);
  await save.getByRole("button", { name: "Save template" }).click();
  await expect(save).toBeHidden();
  await page.getByTestId("new-document").click();
  await expect(
    dialog.getByRole("combobox", { name: "Template" }).locator("option", { hasText: templateName }),
  ).toHaveCount(1);
  await page.keyboard.press("Escape");
  const templates = (await ada.api.call("GET", "/templates")).body as { items: { id: string; name: string }[] };
  const saved = templates.items.find((t) => t.name === `${templateName}`)!;
  expect((await ada.api.call("DELETE", `/templates/${saved.id}`)).status).toBe(204);
});
