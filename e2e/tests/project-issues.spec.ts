import { RepositorySchema, type TriageSuggestionDto } from "@devflow/contracts";
import { expect, test } from "@playwright/test";
import { signedIn } from "../support/access";
import { insertIssue, insertRepository } from "../support/db";
import { GRACE, signIn, unique, uniqueKey } from "../support/devflow";

/**
 * A project's Issues page: before a linked repository sends issues it says where to link one; then
 * each issue shows with its labels and the triage stored when it was opened (priority with the
 * words behind it, labels not yet applied, likely duplicates with their similarity).
 */
test("the Issues page lists a linked repository's issues with their triage", async ({ page, playwright }) => {
  const { api: graceApi, context: graceContext } = await signedIn(playwright.request, GRACE.email);
  const organization = await graceApi.createOrganization(unique("Issues"));
  const grace = graceApi.in(organization.id);
  const project = await grace.createProject({ name: unique("Checkout"), key: uniqueKey() });
  await signIn(page.request, GRACE.email);

  await page.goto(`/${organization.slug}/projects/${project.id}`);
  await page.getByTestId("project-issues").click();
  await expect(page).toHaveURL(new RegExp(`/${organization.slug}/projects/${project.id}/issues$`));
  const empty = page.getByTestId("issues-empty");
  await expect(empty).toContainText("Issues appear here once a repository linked to this project sends GitHub issue");
  await expect(empty.getByRole("link", { name: "Settings → Integrations" })).toHaveAttribute(
    "href",
    `/${organization.slug}/settings/integrations#repositories`,
  );

  const fullName = `acme/${uniqueKey().toLowerCase()}`;
  const repositoryId = await insertRepository(organization.id, fullName);
  await grace.ok("PUT", `/repositories/${repositoryId}/project`, (b) => RepositorySchema.parse(b), {
    data: { projectId: project.id },
  });
  const older = await insertIssue(organization.id, repositoryId, { number: 41, title: "Checkout fails on retry" });
  const triage: TriageSuggestionDto = {
    priority: { value: "P1", because: ["crashes"] },
    labels: [
      { value: "bug", because: ["crashes"] },
      { value: "checkout", because: ["checkout"] },
    ],
    component: null,
    duplicates: [
      {
        issueId: older,
        repositoryFullName: fullName,
        number: 41,
        title: "Checkout fails on retry",
        state: "open",
        url: `https://github.com/${fullName}/issues/41`,
        similarity: 0.87,
      },
    ],
    embeddingModel: "lexical",
    semantic: false,
    triagedAt: new Date().toISOString(),
  };
  await insertIssue(organization.id, repositoryId, {
    number: 42,
    title: "Checkout crashes when retrying",
    labels: ["bug"],
    triage,
  });

  await page.reload();
  const row = page.getByTestId("project-issue-row").filter({ hasText: "Checkout crashes when retrying" });
  await expect(row).toContainText(`${fullName}#42`);
  await expect(row.getByTestId("issue-priority")).toHaveText("P1");
  await expect(row).toContainText("because: crashes");
  // "bug" is already applied: only "checkout" is suggested.
  await expect(row.getByTestId("issue-suggested-labels")).toHaveText("+ checkout");
  const duplicate = row.getByTestId("issue-duplicates");
  await expect(duplicate.getByRole("link", { name: `${fullName}#41 Checkout fails on retry` })).toHaveAttribute(
    "href",
    `https://github.com/${fullName}/issues/41`,
  );
  await expect(duplicate).toContainText("87% similar");
  await expect(page.locator(`[data-issue-id="${older}"]`)).toContainText("Not triaged");

  await page.getByTestId("issues-filter-state").selectOption("closed");
  await expect(page.getByTestId("issues-empty")).toContainText("No closed issues");
  await graceContext.dispose();
});
