import { NotificationListSchema } from "@devflow/contracts";
import { expect, test, type Browser } from "@playwright/test";
import { inviteAndAccept } from "../support/access";
import { ADA, GRACE, signIn, unique } from "../support/devflow";
import { WEB_URL } from "../support/ports";

/**
 * Notifications in two browsers: Ada mentions Grace in a comment; Grace, on another page of the
 * organization, sees her bell count 1 without reloading, opens the notification, lands on the
 * document, and the count is gone. Runs in an organization of its own ("Notify …", which sorts after
 * the seeded ones), so other specs' mentions of Grace never change her count here.
 *
 * Needs the worker to run the comment.created handler (createCommentNotificationHandler) and collab
 * to LISTEN for the live push; without the push, the bell's 30 s poll still gets there.
 */

const TEXT = "# Caching\n\nEntries expire after one hour.\n";

async function signedInPage(browser: Browser, email: string) {
  const context = await browser.newContext({ baseURL: WEB_URL });
  const { api, session } = await signIn(context.request, email);
  return { context, page: await context.newPage(), api, session };
}

test("a mention lights the bell of the person mentioned, live, and leads to the document", async ({ browser }) => {
  test.setTimeout(120_000);
  const ada = await signedInPage(browser, ADA.email);
  const grace = await signedInPage(browser, GRACE.email);
  const organization = await ada.api.createOrganization(unique("Notify"));
  const adaHere = ada.api.in(organization.id);
  await inviteAndAccept(adaHere, organization.name, { api: grace.api, email: GRACE.email }, "member");
  const project = await adaHere.createProject({ name: unique("Caching") });
  const doc = await adaHere.createDocument(project.id, {
    title: unique("Cache TTL"),
    kind: "design_doc",
    content: TEXT,
  });
  const documentPath = `/${organization.slug}/documents/${doc.id}`;

  // Grace is elsewhere in the organization: no badge yet.
  await grace.page.goto(`/${organization.slug}`);
  const bell = grace.page.getByTestId("notification-bell");
  await expect(bell).toBeVisible();
  await expect(grace.page.getByTestId("notification-badge")).toHaveCount(0);
  await bell.click();
  await expect(grace.page.getByTestId("notifications-empty")).toBeVisible();
  await grace.page.keyboard.press("Escape");
  await expect(bell).toBeFocused();

  // Ada selects "one hour" and mentions Grace in a comment.
  await ada.page.goto(documentPath);
  await expect(ada.page.getByTestId("sync-state")).toHaveText(/saved/i, { timeout: 15_000 });
  await ada.page.getByTestId("editor").locator(".cm-content").click();
  await ada.page.keyboard.press("Control+Home");
  await ada.page.keyboard.press("ArrowDown");
  await ada.page.keyboard.press("ArrowDown");
  await ada.page.keyboard.press("End");
  await ada.page.keyboard.press("ArrowLeft");
  for (let i = 0; i < "one hour".length; i++) await ada.page.keyboard.press("Shift+ArrowLeft");
  await ada.page.keyboard.press("Control+Alt+m");
  const input = ada.page.getByTestId("comment-draft").getByTestId("comment-composer-input");
  await input.pressSequentially("Long enough, @gra", { delay: 10 });
  await expect(ada.page.getByTestId("mention-options")).toContainText(GRACE.name);
  await input.press("Enter");
  await input.pressSequentially("?", { delay: 10 });
  await ada.page.getByTestId("comment-draft").getByRole("button", { name: "Comment" }).click();
  await expect(ada.page.getByTestId("comment-thread")).toHaveCount(1);

  // Grace's bell counts it without a reload (pushed live; the poll is the fallback).
  await expect(grace.page.getByTestId("notification-badge")).toHaveText("1", { timeout: 45_000 });
  await expect(bell).toHaveAccessibleName("Notifications, 1 unread");
  // Ada, the author, is told nothing.
  const adaList = await adaHere.ok("GET", "/notifications", (b) => NotificationListSchema.parse(b));
  expect(adaList.unreadCount).toBe(0);

  await bell.click();
  const item = grace.page.getByTestId("notification-item");
  await expect(item).toHaveCount(1);
  await expect(item).toContainText(`${ADA.name} mentioned you in “${doc.title}”`);
  await expect(item).toContainText(`Long enough, @${GRACE.name} ?`);
  await expect(item).toHaveAttribute("href", documentPath);
  await item.click();
  await expect(grace.page).toHaveURL(documentPath);
  await expect(grace.page.getByTestId("notification-badge")).toHaveCount(0);

  const graceList = await grace.api
    .in(organization.id)
    .ok("GET", "/notifications", (b) => NotificationListSchema.parse(b));
  expect(graceList.unreadCount).toBe(0);
  expect(graceList.items[0]).toMatchObject({ type: "comment.mentioned", link: documentPath });
  expect(graceList.items[0]!.readAt).not.toBeNull();

  await ada.context.close();
  await grace.context.close();
});
