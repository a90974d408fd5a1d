import { CommentThreadListSchema } from "@devflow/contracts";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { ADA, DEMO_CO, GRACE, GUILD, expectError, organizationOf, signIn, unique } from "../support/devflow";
import { WEB_URL } from "../support/ports";

/**
 * Comments in two browsers: Ada comments on a phrase and mentions Grace; Grace sees the thread and
 * its highlight at once, types above it and the highlight stays on the phrase, replies; Ada
 * resolves and reopens; deleting the phrase leaves the thread, as outdated, for both.
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

const TEXT = "# Caching\n\nEntries expire after one hour.\n\nThe end.\n";

test("comments on a phrase reach everyone live, follow edits, and outlive their text", async ({ browser }) => {
  const setup = await browser.newContext({ baseURL: WEB_URL });
  const { session, api } = await signIn(setup.request, ADA.email);
  const demoCo = api.in(organizationOf(session, DEMO_CO.slug).id);
  const project = await demoCo.projectNamed("Platform");
  const doc = await demoCo.createDocument(project.id, {
    title: unique("Comments doc"),
    kind: "design_doc",
    content: TEXT,
  });
  const path = `/${DEMO_CO.slug}/documents/${doc.id}`;

  const ada = await openAs(browser, ADA.email, path);
  const grace = await openAs(browser, GRACE.email, path);
  await grace.getByTestId("comments-toggle").click();
  await expect(grace.getByTestId("comments-empty")).toBeVisible();

  // Ada selects "one hour" (line 3, before the full stop) and comments with the keyboard shortcut.
  await editorText(ada).click();
  await ada.keyboard.press("Control+Home");
  await ada.keyboard.press("ArrowDown");
  await ada.keyboard.press("ArrowDown");
  await ada.keyboard.press("End");
  await ada.keyboard.press("ArrowLeft");
  for (let i = 0; i < "one hour".length; i++) await ada.keyboard.press("Shift+ArrowLeft");
  await ada.keyboard.press("Control+Alt+m");
  const draft = ada.getByTestId("comment-draft");
  await expect(draft).toContainText("one hour");
  const input = draft.getByTestId("comment-composer-input");
  await input.pressSequentially("Is that enough, @gra", { delay: 10 });
  await expect(ada.getByTestId("mention-options")).toContainText(GRACE.name);
  await input.press("Enter");
  await input.pressSequentially("?", { delay: 10 });
  await expect(input).toHaveValue(`Is that enough, @${GRACE.name} ?`);
  await draft.getByRole("button", { name: "Comment" }).click();
  const adaThread = ada.getByTestId("comment-thread");
  await expect(adaThread).toHaveCount(1);
  await expect(adaThread.getByTestId("comment-mention")).toHaveText(`@${GRACE.name}`);

  // Grace sees it at once: the thread, the mention, and the highlight on the phrase.
  const graceThread = grace.getByTestId("comment-thread");
  await expect(graceThread).toHaveCount(1);
  await expect(graceThread.getByTestId("comment-quote")).toHaveText("one hour");
  await expect(graceThread.getByTestId("comment-mention")).toHaveText(`@${GRACE.name}`);
  await expect(grace.getByTestId("comment-anchor")).toHaveText("one hour");

  // Grace types above it: the highlight stays on the phrase in both editors.
  await editorText(grace).click();
  await grace.keyboard.press("Control+Home");
  await grace.keyboard.type("Status: draft. ", { delay: 10 });
  // (The editors' text also holds the other person's caret label, so the stored text is compared.)
  await expect.poll(async () => (await demoCo.getDocument(doc.id)).content).toBe(`Status: draft. ${TEXT}`);
  for (const page of [ada, grace]) {
    await expect(editorText(page)).toContainText("Status: draft.");
    await expect(page.getByTestId("comment-anchor")).toHaveText("one hour");
  }

  // Grace replies; Ada sees the reply.
  await graceThread.getByTestId("comment-reply").click();
  const reply = graceThread.getByTestId("comment-reply-composer");
  await reply.getByTestId("comment-reply-composer-input").fill("Yes, it matches the SLO.");
  await reply.getByRole("button", { name: "Reply" }).click();
  await expect(adaThread.getByTestId("comment-body")).toHaveText([
    `Is that enough, @${GRACE.name} ?`,
    "Yes, it matches the SLO.",
  ]);

  // Ada resolves: Grace's highlight goes and the thread moves to the resolved ones; then she reopens it.
  await adaThread.getByTestId("comment-resolve").click();
  await expect(grace.getByTestId("comment-anchor")).toHaveCount(0);
  await expect(grace.getByTestId("toggle-resolved")).toHaveText(/1 resolved/);
  await grace.getByTestId("toggle-resolved").click();
  await grace.getByTestId("resolved-threads").getByTestId("comment-reopen").click();
  await expect(ada.getByTestId("open-threads").getByTestId("comment-thread")).toHaveCount(1);
  await expect(ada.getByTestId("comment-anchor")).toHaveText("one hour");

  // Grace clicks the thread, which selects its text, and deletes it: the thread is kept as outdated.
  await grace.getByTestId("open-threads").getByTestId("comment-quote").click();
  await grace.keyboard.press("Backspace");
  await expect
    .poll(async () => (await demoCo.getDocument(doc.id)).content)
    .toBe(`Status: draft. ${TEXT.replace("one hour", "")}`);
  for (const page of [ada, grace]) {
    await expect(page.getByTestId("outdated-threads").getByTestId("comment-quote")).toHaveText("one hour");
    await expect(page.getByTestId("comment-anchor")).toHaveCount(0);
  }

  // The REST API agrees, and another organization cannot read the thread.
  const listed = await demoCo.ok("GET", `/documents/${doc.id}/comments`, (b) => CommentThreadListSchema.parse(b));
  expect(listed.items).toHaveLength(1);
  expect(listed.items[0]).toMatchObject({ isOutdated: true, quote: "one hour", status: "open" });
  expect(listed.items[0]!.comments.map((c) => c.author?.name)).toEqual([ADA.name, GRACE.name]);
  const guild = organizationOf(session, GUILD.slug);
  expectError(await api.in(guild.id).call("GET", `/documents/${doc.id}/comments`), 404, "not_found");

  await demoCo.call("DELETE", `/documents/${doc.id}`);
  await setup.close();
});
