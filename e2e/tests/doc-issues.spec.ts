import { ConnectedIntegrationSchema } from "@devflow/contracts";
import { expect, test, type Page } from "@playwright/test";
import { inviteAndAccept, signedIn } from "../support/access";
import { insertIssue, insertRepository, withE2eDatabase } from "../support/db";
import { ADA, GRACE, signIn, unique, uniqueKey } from "../support/devflow";
import { TEST_CONTROL_URL } from "../support/ports";
import type { FakeGitHubIssue } from "../support/test-services";

/**
 * Filing an issue from a passage of a design doc: with no tracker connected the dialog says where
 * an admin connects one; a member, who cannot see what is connected, is told by the server; and
 * with a GitHub token connected (its API pointed at the test services' fake GitHub) the issue is
 * filed there and the document lists it.
 */

// Short enough not to wrap in the editor's half of the page: End goes to the end of the visual line.
const PASSAGE = "Tokens must be rate limited.";
const TEXT = `# Rate limits\n\n${PASSAGE}\n\nThe end.\n`;

async function openDocument(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page.getByTestId("sync-state")).toHaveText(/saved/i, { timeout: 15_000 });
}

/** Selects the third line of TEXT (the passage) with the keyboard. */
async function selectPassage(page: Page): Promise<void> {
  await page.getByTestId("editor").locator(".cm-content").click();
  await page.keyboard.press("Control+Home");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Home");
  await page.keyboard.press("Shift+End");
}

test("without a connected tracker, Create issue says where an admin connects one, and no issues are listed", async ({
  page,
  playwright,
}) => {
  const { api: graceApi, context: graceContext } = await signedIn(playwright.request, GRACE.email);
  const organization = await graceApi.createOrganization(unique("Doc issues"));
  const grace = graceApi.in(organization.id);
  const project = await grace.createProject({ name: unique("Limits"), key: uniqueKey() });
  const doc = await grace.createDocument(project.id, {
    title: unique("Rate limits"),
    kind: "design_doc",
    content: TEXT,
  });
  const path = `/${organization.slug}/documents/${doc.id}`;
  await signIn(page.request, GRACE.email);
  await openDocument(page, path);

  const createIssue = page.getByTestId("create-issue");
  await expect(createIssue).toBeDisabled();
  await selectPassage(page);
  await expect(createIssue).toBeEnabled();
  await page.keyboard.press("Control+Alt+K");
  const dialog = page.getByTestId("create-issue-dialog");
  const noTracker = dialog.getByTestId("create-issue-no-tracker");
  await expect(noTracker).toContainText("An admin connects GitHub, Jira or Linear under Settings → Integrations");
  await expect(noTracker.getByRole("link", { name: "Settings → Integrations" })).toHaveAttribute(
    "href",
    `/${organization.slug}/settings/integrations`,
  );
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  await createIssue.click();
  await expect(noTracker).toBeVisible();
  await noTracker.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();

  await page.getByTestId("issues-toggle").click();
  await expect(page.getByTestId("issues-empty")).toHaveText("No issues filed from this document yet.");

  // A member is told which trackers are connected too (none here), though only admins list integrations.
  const { api: adaApi, context: adaContext } = await signedIn(playwright.request, ADA.email);
  await inviteAndAccept(grace, organization.name, { api: adaApi, email: ADA.email }, "member");
  await signIn(page.request, ADA.email);
  await openDocument(page, path);
  await selectPassage(page);
  await page.getByTestId("create-issue").click();
  await expect(dialog.getByTestId("create-issue-no-tracker")).toContainText("No issue tracker is connected");

  await graceContext.dispose();
  await adaContext.dispose();
});

test("an admin files an issue from a passage into GitHub, sees its criteria, and the document lists it", async ({
  page,
  playwright,
}) => {
  const { api: graceApi, context: graceContext } = await signedIn(playwright.request, GRACE.email);
  const organization = await graceApi.createOrganization(unique("Doc issues"));
  const grace = graceApi.in(organization.id);
  const project = await grace.createProject({ name: unique("Limits"), key: uniqueKey() });
  const doc = await grace.createDocument(project.id, {
    title: unique("Rate limits"),
    kind: "design_doc",
    content: TEXT,
  });
  const { integrationId } = await grace.ok(
    "POST",
    "/integrations/github-token",
    (b) => ConnectedIntegrationSchema.parse(b),
    { data: { token: `ghp_${"e2e".repeat(12)}` } },
    201,
  );
  // The settings form takes only https API roots; the fake GitHub is plain http on loopback.
  await withE2eDatabase((client) =>
    client.query("UPDATE integrations SET config = config || jsonb_build_object('apiUrl', $2::text) WHERE id = $1", [
      integrationId,
      `${TEST_CONTROL_URL}/github/api`,
    ]),
  );
  const repo = `limits-${uniqueKey().toLowerCase()}`;
  const repositoryId = await insertRepository(organization.id, `acme/${repo}`);
  // Stored without embeddings, as older issues are: triage embeds them on first use.
  await insertIssue(organization.id, repositoryId, { number: 7, title: "Rate limit tokens" });
  await insertIssue(organization.id, repositoryId, {
    number: 8,
    title: "Export the audit log as CSV",
    state: "closed",
  });
  await signIn(page.request, GRACE.email);
  await openDocument(page, `/${organization.slug}/documents/${doc.id}`);

  await selectPassage(page);
  await page.getByTestId("create-issue").click();
  const dialog = page.getByTestId("create-issue-dialog");
  await expect(dialog.getByTestId("create-issue-tracker").locator("option")).toHaveText(["GitHub"]);
  await expect(dialog.getByLabel("Repository")).toHaveValue(/.+/);

  // Before filing, triage against that repository's issues offers the one that says the same.
  const triage = dialog.getByTestId("passage-triage");
  await expect(triage).toContainText("Before you file");
  await expect(triage.getByTestId("passage-triage-filed")).toHaveText("This may already be filed:");
  const duplicate = triage.getByTestId("passage-triage-duplicate");
  await expect(duplicate).toHaveCount(1);
  await expect(duplicate).toContainText(`acme/${repo}#7 Rate limit tokens`);
  await expect(duplicate).toContainText(/open · \d+% similar by shared words/);
  await expect(duplicate.getByRole("link", { name: `acme/${repo}#7` })).toHaveAttribute(
    "href",
    "https://github.com/example/repo/issues/7",
  );
  await expect(triage.getByTestId("passage-triage-priority")).toContainText("Suggested priority P3");
  await dialog.getByTestId("create-issue-title").fill("Limit requests per token");
  await dialog.getByTestId("create-issue-submit").click();

  const link = dialog.getByTestId("created-issue-link");
  await expect(link).toHaveText(new RegExp(`^acme/${repo}#\\d+$`));
  await expect(link).toHaveAttribute("target", "_blank");
  await expect(dialog.getByTestId("created-issue-criteria")).toHaveText(PASSAGE);
  const key = await link.textContent();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();

  const filed = (await (await fetch(`${TEST_CONTROL_URL}/github/issues`)).json()) as FakeGitHubIssue[];
  const issue = filed.find((i) => i.repo === repo);
  expect(issue?.title).toBe("Limit requests per token");
  expect(issue?.body).toContain(`> ${PASSAGE}`);
  expect(issue?.body).toContain(`devflow:${doc.id}`);

  await page.getByTestId("issues-toggle").click();
  const item = page.getByTestId("issue-item");
  await expect(item).toHaveCount(1);
  await expect(item).toContainText("GitHub");
  await expect(item.getByTestId("issue-key")).toHaveText(key!);
  await expect(item).toContainText("Limit requests per token");
  await expect(item).toContainText(PASSAGE);

  await graceContext.dispose();
});
