import { randomInt } from "node:crypto";
import { SearchResponseSchema } from "@devflow/contracts";
import { expect, test } from "@playwright/test";
import { ADA, DEMO_CO, organizationOf, signIn, unique, uniqueKey, type Api } from "../support/devflow";
import { WEB_URL } from "../support/ports";

/**
 * The in-app assistant, end to end, with the default (extractive) answerer: a question asked from
 * a document's side panel streams an answer from apps/ai that cites the document; the citation
 * opens the document at the passage; the conversation is in the history after a reload.
 */

function distinctiveWord(): string {
  return `zephyr${Array.from({ length: 8 }, () => String.fromCharCode(97 + randomInt(26))).join("")}`;
}

async function waitUntilIndexed(api: Api, q: string, documentId: string): Promise<void> {
  await expect
    .poll(
      async () =>
        (await api.ok("GET", "/search", (b) => SearchResponseSchema.parse(b), { params: { q } })).results.map(
          (r) => r.documentId,
        ),
      { message: `search for "${q}" finds document ${documentId}`, timeout: 45_000, intervals: [500, 1_000, 2_000] },
    )
    .toContain(documentId);
}

test("asks about a document, follows the citation to the passage, and finds the conversation again", async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const context = await browser.newContext({ baseURL: WEB_URL });
  const { session, api } = await signIn(context.request, ADA.email);
  const demoCo = api.in(organizationOf(session, DEMO_CO.slug).id);
  const project = await demoCo.createProject({ name: unique("Assistant"), key: uniqueKey() });
  const word = distinctiveWord();
  const sentence = `The ${word} cache keeps entries for ninety minutes before they expire.`;
  const content = ["# Caching", "", "## Expiry", "", sentence, "", "## Metrics", "", "Hit ratio is exported.", ""].join(
    "\n",
  );
  const doc = await demoCo.createDocument(project.id, { title: unique("Caching"), kind: "design_doc", content });
  await waitUntilIndexed(demoCo, word, doc.id);

  const page = await context.newPage();
  await page.goto(`/${DEMO_CO.slug}/documents/${doc.id}`);
  await expect(page.getByTestId("document-content")).toBeVisible({ timeout: 15_000 });

  // Ctrl+J opens the panel with the focus in its composer; it says honestly that no model is set up.
  await page.getByTestId("assistant-toggle").focus();
  await page.keyboard.press("Control+J");
  const panel = page.getByTestId("assistant-panel");
  await expect(panel).toBeVisible();
  await expect(panel.getByText("No language model is configured: answers quote your documents.")).toBeVisible();
  const input = panel.getByTestId("assistant-input");
  await expect(input).toBeFocused();
  await expect(panel.getByText("Ask about your team's docs")).toBeVisible();

  const question = `How long does the ${word} cache keep entries?`;
  await input.fill(question);
  await page.keyboard.press("Enter");
  await expect(panel.getByTestId("chat-question")).toHaveText(question);
  const answer = panel.getByTestId("chat-answer");
  await expect(answer).toContainText("No language model is configured", { timeout: 20_000 });
  await expect(answer).toContainText("ninety minutes");
  const chip = answer.getByTestId("citation-chip").first();
  await expect(chip).toBeVisible();
  // The check endpoint confirms the passage is unchanged since it was cited.
  await expect(chip).toHaveAttribute("data-citation-status", "current");

  await chip.click();
  await page.waitForURL(new RegExp(`/documents/${doc.id}\\?at=(\\d+)-(\\d+)&v=\\d+$`));
  const [, from, to] = /at=(\d+)-(\d+)/.exec(page.url())!;
  const cited = content.slice(Number(from), Number(to));
  expect(cited).toContain(sentence);
  // Focused once the live document arrives from collab, which takes a while on a busy machine.
  await expect(page.getByRole("textbox", { name: "Document text" })).toBeFocused({ timeout: 30_000 });
  const squash = (text: string) => text.replace(/\s+/g, " ").trim();
  await expect
    .poll(async () => squash(await page.evaluate(() => window.getSelection()?.toString() ?? "")))
    .toBe(squash(cited));

  // The conversation is kept: the assistant page lists it after a reload, and opens it.
  await page.goto(`/${DEMO_CO.slug}/assistant`);
  await page.reload();
  const history = page.getByTestId("conversation-list");
  const entry = history.getByRole("button", { name: new RegExp(`^How long does the ${word} cache`) });
  await expect(entry).toBeVisible({ timeout: 10_000 });
  await entry.click();
  await expect(page.getByTestId("chat-question")).toHaveText(question);
  await expect(page.getByTestId("chat-answer")).toContainText("ninety minutes");

  await context.close();
});
