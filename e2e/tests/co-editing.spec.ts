import { NotificationListSchema } from "@devflow/contracts";
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

test("typing @ and a name offers the member, Enter inserts the mention, the preview shows it, they are told", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const setup = await browser.newContext({ baseURL: WEB_URL });
  const { session, api } = await signIn(setup.request, ADA.email);
  const demoCo = api.in(organizationOf(session, DEMO_CO.slug).id);
  const project = await demoCo.projectNamed("Platform");
  const doc = await demoCo.createDocument(project.id, { title: unique("Mentions"), kind: "design_doc", content: "" });
  const path = `/${DEMO_CO.slug}/documents/${doc.id}`;
  const ada = await openAs(browser, ADA.email, path);

  await editorText(ada).click();
  await ada.keyboard.type("Review please @", { delay: 15 });
  await expect(ada.getByRole("listbox").getByRole("option").first()).toBeVisible();
  // Typed at a person's pace once the list is open: CodeMirror ignores an Enter within 75 ms of the
  // list opening (its interactionDelay), so that a list popping up cannot take a fast typist's Enter.
  await ada.keyboard.type("gra", { delay: 40 });
  await expect(ada.getByRole("option", { name: new RegExp(GRACE.name) })).toBeVisible();
  await ada.keyboard.press("Enter");

  await expect(ada.getByTestId("markdown-preview").getByTestId("mention")).toHaveText(`@${GRACE.name}`);
  await expect(ada.getByTestId("sync-state")).toHaveText(/saved/i, { timeout: 15_000 });
  const token = new RegExp(`^Review please @\\[${GRACE.name}\\]\\(mention:[0-9a-f-]{36}\\) $`);
  await expect.poll(async () => (await demoCo.getDocument(doc.id)).content, { timeout: 10_000 }).toMatch(token);

  // The collab service recorded the mention and the worker told Grace, linking to the document.
  const grace = await browser.newContext({ baseURL: WEB_URL });
  const graceApi = (await signIn(grace.request, GRACE.email)).api.in(organizationOf(session, DEMO_CO.slug).id);
  const toldGrace = async () =>
    (await graceApi.ok("GET", "/notifications", (b) => NotificationListSchema.parse(b))).items.find(
      (n) => n.type === "document.mentioned" && n.link === path,
    );
  await expect.poll(toldGrace, { timeout: 45_000 }).toMatchObject({
    title: `${ADA.name} mentioned you in “${doc.title}”`,
    body: `Review please @${GRACE.name}`,
  });

  await demoCo.call("DELETE", `/documents/${doc.id}`);
  await grace.close();
  await setup.close();
});
