import { expect, test, type Browser, type Page } from "@playwright/test";
import { ADA, DEMO_CO, GRACE, organizationOf, signIn, unique } from "../support/devflow";
import { WEB_URL } from "../support/ports";

/**
 * Two people in two browsers type into the same design doc at the same time, through the collab
 * service and its op log in PostgreSQL: both end with the same text, which has both their words,
 * and each sees where the other is.
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

test("two people type into one document at once and converge, seeing each other", async ({ browser }) => {
  const setup = await browser.newContext({ baseURL: WEB_URL });
  const { session, api } = await signIn(setup.request, ADA.email);
  const demoCo = api.in(organizationOf(session, DEMO_CO.slug).id);
  const project = await demoCo.projectNamed("Platform");
  const title = unique("Live doc");
  const doc = await demoCo.createDocument(project.id, { title, kind: "design_doc", content: "# Shared\n\n" });
  const path = `/${DEMO_CO.slug}/documents/${doc.id}`;

  const ada = await openAs(browser, ADA.email, path);
  const grace = await openAs(browser, GRACE.email, path);

  // Ada types at the top while Grace types at the bottom, at the same time.
  const typeAt = async (page: Page, key: "Control+Home" | "Control+End", words: string) => {
    await editorText(page).click();
    await page.keyboard.press(key);
    await page.keyboard.type(words, { delay: 15 });
  };
  await Promise.all([
    typeAt(ada, "Control+Home", "Ada writes the intro. "),
    typeAt(grace, "Control+End", "Grace adds the compiler section. "),
  ]);

  for (const page of [ada, grace]) {
    await expect(page.getByTestId("sync-state")).toHaveText(/saved/i, { timeout: 15_000 });
    await expect(editorText(page)).toContainText("Ada writes the intro.");
    await expect(editorText(page)).toContainText("Grace adds the compiler section.");
  }

  // What both see is what the server stored, durably.
  await expect
    .poll(async () => (await demoCo.getDocument(doc.id)).content, { timeout: 10_000 })
    .toContain("Grace adds the compiler section.");
  const stored = await demoCo.getDocument(doc.id);
  expect(stored.content).toBe("Ada writes the intro. # Shared\n\nGrace adds the compiler section. ");
  expect(stored.version).toBeGreaterThan(0);

  // Presence: each sees the other among the people here.
  await expect(ada.getByTestId("presence-avatars")).toContainText(/G/);
  await expect(grace.getByTestId("presence-avatars")).toContainText(/A/);

  await demoCo.call("DELETE", `/documents/${doc.id}`);
  await setup.close();
});
