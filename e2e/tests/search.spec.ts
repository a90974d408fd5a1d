import { randomInt } from "node:crypto";
import { ProjectSchema, SearchResponseSchema, type SearchResponseDto } from "@devflow/contracts";
import { expect, test, type Browser, type Page } from "@playwright/test";
import {
  ADA,
  Api,
  DEMO_CO,
  GRACE,
  GUILD,
  expectError,
  organizationOf,
  signIn,
  unique,
  uniqueKey,
} from "../support/devflow";
import { WEB_URL } from "../support/ports";

/**
 * Workspace search, end to end: a document written through the API is indexed a few seconds later
 * (apps/ai), found through `GET /api/v1/search` and through the Cmd/Ctrl+K palette, opened at the
 * matched passage; and someone who may not read it never sees it, in another organization or in a
 * private project of the same one. A document in an open project carries the same word, so "Grace
 * sees nothing" cannot pass merely because search is broken.
 */

/** A word no other document (or earlier run) contains; letters only, so every tokenizer keeps it whole. */
function distinctiveWord(): string {
  const letters = Array.from({ length: 8 }, () => String.fromCharCode(97 + randomInt(26))).join("");
  return `quasar${letters}`;
}

function contentWith(word: string): string {
  return [
    "# Webhook delivery",
    "",
    "Deliveries go out from the worker as soon as an event is recorded.",
    "",
    "## Retries",
    "",
    `A failed delivery is retried by the ${word} relay with exponential backoff, up to eight times.`,
    "",
    "## Open questions",
    "",
    "Should a paused endpoint keep its queue?",
    "",
  ].join("\n");
}

async function search(api: Api, q: string): Promise<SearchResponseDto> {
  return api.ok("GET", "/search", (b) => SearchResponseSchema.parse(b), { params: { q } });
}

/** Waits until search finds `documentId`: indexing runs a few seconds after writes settle. */
async function waitUntilIndexed(api: Api, q: string, documentId: string): Promise<void> {
  await expect
    .poll(async () => (await search(api, q)).results.map((r) => r.documentId), {
      message: `search for "${q}" finds document ${documentId}`,
      timeout: 45_000,
      intervals: [500, 1_000, 2_000],
    })
    .toContain(documentId);
}

async function openApp(browser: Browser, email: string, orgSlug: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: WEB_URL });
  await signIn(context.request, email);
  const page = await context.newPage();
  await page.goto(`/${orgSlug}`);
  // The launcher appears once the shell knows the organization, i.e. after hydration.
  await expect(page.getByTestId("search-open")).toBeVisible();
  return page;
}

test("a new document is found by search and the palette opens it at the matched passage", async ({ browser }) => {
  test.setTimeout(120_000);
  const setup = await browser.newContext({ baseURL: WEB_URL });
  const { session, api } = await signIn(setup.request, ADA.email);
  const demoCo = api.in(organizationOf(session, DEMO_CO.slug).id);
  const project = await demoCo.createProject({ name: unique("Search"), key: uniqueKey() });
  const word = distinctiveWord();
  const content = contentWith(word);
  const title = unique("Webhook delivery");
  const doc = await demoCo.createDocument(project.id, { title, kind: "design_doc", content });

  await waitUntilIndexed(demoCo, word, doc.id);
  const answer = await search(demoCo, word);
  const [hit] = answer.results;
  expect(hit?.documentId).toBe(doc.id);
  expect(answer.retrieval.semantic).toBe(false);
  const best = hit!.passages[0]!;
  expect(best.version).toBe(doc.version);
  expect(content.slice(best.startOffset, best.endOffset)).toContain(word);
  expect(best.highlights.map((h) => best.snippet.slice(h.start, h.end).toLowerCase())).toContain(word);

  const page = await openApp(browser, ADA.email, DEMO_CO.slug);
  const launcher = page.getByTestId("search-open");
  await launcher.focus();
  await page.keyboard.press("Control+K");
  const palette = page.getByTestId("search-palette");
  const input = palette.getByRole("combobox", { name: "Search documents" });
  await expect(input).toBeFocused();
  await expect(palette.getByTestId("search-hint")).toBeVisible();

  // Esc closes and gives focus back to where it was.
  await page.keyboard.press("Escape");
  await expect(palette).toBeHidden();
  await expect(launcher).toBeFocused();

  await page.keyboard.press("Control+K");
  await input.pressSequentially(word, { delay: 15 });
  const titleRow = palette.getByTestId("search-result").filter({ hasText: title });
  const passageRow = palette.locator(`[data-testid="search-passage"][data-document-id="${doc.id}"]`).first();
  await expect(titleRow).toBeVisible({ timeout: 10_000 });
  await expect(passageRow.locator("mark", { hasText: word })).toBeVisible();
  await expect(palette.getByTestId("search-retrieval")).toContainText("does not match by meaning");

  // The best document's title row is active first; ↓ moves to its first passage.
  await expect(titleRow).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("ArrowDown");
  await expect(passageRow).toHaveAttribute("aria-selected", "true");
  await expect(input).toHaveAttribute("aria-activedescendant", (await passageRow.getAttribute("id"))!);
  await page.keyboard.press("ArrowUp");
  await expect(titleRow).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("ArrowDown");

  await page.keyboard.press("Enter");
  await expect(palette).toBeHidden();
  await page.waitForURL(new RegExp(`/documents/${doc.id}\\?at=\\d+-\\d+&v=\\d+$`));
  const at = /at=(\d+)-(\d+)/.exec(page.url())!;
  const expected = content.slice(Number(at[1]), Number(at[2]));
  expect(expected).toContain(word);

  // The editor selects the passage (and has the focus, so the selection is the page's own).
  await expect(page.getByRole("textbox", { name: "Document text" })).toBeFocused({ timeout: 15_000 });
  const squash = (text: string) => text.replace(/\s+/g, " ").trim();
  await expect
    .poll(async () => squash(await page.evaluate(() => window.getSelection()?.toString() ?? "")))
    .toBe(squash(expected));

  // The mouse works too: hover activates a row, a click opens it.
  await page.keyboard.press("Control+K");
  await input.pressSequentially(word, { delay: 15 });
  await expect(titleRow).toBeVisible({ timeout: 10_000 });
  await titleRow.hover();
  await expect(titleRow).toHaveAttribute("aria-selected", "true");
  await titleRow.click();
  await page.waitForURL(new RegExp(`/documents/${doc.id}$`));

  await page.context().close();
  await setup.close();
});

test("search shows nothing from another organization or a private project", async ({ browser }) => {
  test.setTimeout(120_000);
  const setup = await browser.newContext({ baseURL: WEB_URL });
  const { session, api } = await signIn(setup.request, ADA.email);
  const demoCo = api.in(organizationOf(session, DEMO_CO.slug).id);
  const word = distinctiveWord();
  const open = await demoCo.createProject({ name: unique("Open search"), key: uniqueKey() });
  const hidden = await demoCo.ok(
    "POST",
    "/projects",
    (b) => ProjectSchema.parse(b),
    {
      data: { name: unique("Private search"), key: uniqueKey(), visibility: "private" },
    },
    201,
  );
  const openDoc = await demoCo.createDocument(open.id, { title: unique("Open plan"), content: contentWith(word) });
  const privateTitle = unique("Private plan");
  const privateDoc = await demoCo.createDocument(hidden.id, { title: privateTitle, content: contentWith(word) });

  // Ada, who owns both, finds both.
  await waitUntilIndexed(demoCo, word, openDoc.id);
  await waitUntilIndexed(demoCo, word, privateDoc.id);

  // Grace is a member of Demo Co but not of the private project: the open document only.
  const graceSetup = await browser.newContext({ baseURL: WEB_URL });
  const grace = await signIn(graceSetup.request, GRACE.email);
  const graceInDemo = grace.api.in(organizationOf(grace.session, DEMO_CO.slug).id);
  const graceFinds = (await search(graceInDemo, word)).results.map((r) => r.documentId);
  expect(graceFinds).toContain(openDoc.id);
  expect(graceFinds).not.toContain(privateDoc.id);

  // In her own organization the word finds nothing at all.
  const graceInGuild = grace.api.in(organizationOf(grace.session, GUILD.slug).id);
  expect((await search(graceInGuild, word)).results).toEqual([]);

  // Nor can someone search an organization they do not belong to by naming it.
  const tenant = await grace.api.createOrganization(unique("Tenant"));
  expectError(await demoCo.in(tenant.id).call("GET", "/search", { params: { q: word } }), 403, "forbidden");

  // Bad input is refused with a clear error and no results.
  expectError(await graceInDemo.call("GET", "/search", { params: { q: "   " } }), 400, "validation_failed");
  expectError(await graceInDemo.call("GET", "/search", { params: { q: "x", limit: 0 } }), 400, "validation_failed");
  expectError(
    await graceInDemo.call("GET", "/search", { params: { q: "x", projectId: "nope" } }),
    400,
    "validation_failed",
  );

  // The palette agrees with the API.
  const page = await openApp(browser, GRACE.email, DEMO_CO.slug);
  await page.keyboard.press("Control+K");
  const palette = page.getByTestId("search-palette");
  await palette.getByRole("combobox").pressSequentially(word, { delay: 15 });
  await expect(palette.getByTestId("search-result").filter({ hasText: openDoc.title })).toBeVisible({
    timeout: 10_000,
  });
  await expect(palette.getByTestId("search-results")).not.toContainText(privateTitle);

  await page.context().close();
  await graceSetup.close();
  await setup.close();
});
