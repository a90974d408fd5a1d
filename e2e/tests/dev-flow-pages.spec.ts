import { RepositorySchema } from "@devflow/contracts";
import { expect, test } from "@playwright/test";
import { signedIn } from "../support/access";
import { insertFailedWorkflowRun, insertIssue, insertPullRequest, insertRepository } from "../support/db";
import { GRACE, signIn, unique, uniqueKey } from "../support/devflow";

/**
 * The pages built on GitHub activity, with rows as the worker stores them: a project's Releases
 * page assesses a milestone (an open blocker fails it), and Settings → Workflows shows a failed run
 * step by step with its error.
 */
test("a milestone with an open blocker fails its readiness, gate by gate", async ({ page, playwright }) => {
  const { api: graceApi, context: graceContext } = await signedIn(playwright.request, GRACE.email);
  const organization = await graceApi.createOrganization(unique("Releases"));
  const grace = graceApi.in(organization.id);
  const project = await grace.createProject({ name: unique("Checkout"), key: uniqueKey() });
  const repositoryId = await insertRepository(organization.id, `acme/${uniqueKey().toLowerCase()}`);
  await grace.ok("PUT", `/repositories/${repositoryId}/project`, (b) => RepositorySchema.parse(b), {
    data: { projectId: project.id },
  });
  await insertPullRequest(organization.id, repositoryId, { number: 12, title: "Retry payments", milestone: "v2.0" });
  await insertIssue(organization.id, repositoryId, {
    number: 13,
    title: "Refunds double-settle",
    labels: ["blocker"],
    milestone: "v2.0",
  });
  await signIn(page.request, GRACE.email);

  await page.goto(`/${organization.slug}/projects/${project.id}`);
  await page.getByTestId("project-releases").click();
  await expect(page).toHaveURL(new RegExp(`/${organization.slug}/projects/${project.id}/releases`));
  const milestone = page.getByTestId("milestone-item");
  await expect(milestone).toHaveCount(1);
  await expect(milestone).toContainText("v2.0");
  await milestone.click();

  await expect(page.getByTestId("release-overall")).toHaveText("Fail");
  await expect(page.getByTestId("release-gate-open_blockers-verdict")).toHaveText("Fail");
  await expect(page.getByTestId("release-gate-open_blockers")).toContainText("Refunds double-settle");
  // Nothing analysed the pull request and no doc is linked: those gates cannot say.
  await expect(page.getByTestId("release-gate-pr_risk-verdict")).toHaveText("Unknown");
  await expect(page.getByTestId("release-gate-doc_approvals-verdict")).toHaveText("Unknown");
  await graceContext.dispose();
});

test("an admin sees a failed workflow run step by step, with its error", async ({ page, playwright }) => {
  const { api: graceApi, context: graceContext } = await signedIn(playwright.request, GRACE.email);
  const organization = await graceApi.createOrganization(unique("Workflows"));
  const runId = await insertFailedWorkflowRun(organization.id, `github:pr:1:7:${"a".repeat(40)}`);
  await signIn(page.request, GRACE.email);

  await page.goto(`/${organization.slug}/settings/workflows`);
  const row = page.locator(`[data-testid="workflow-run-row"][data-run-id="${runId}"]`);
  await expect(row.getByTestId("workflow-run-status")).toHaveText("Failed");
  await expect(row).toContainText("1 of 2");
  await row.getByRole("link", { name: "pr-analysis" }).click();

  await expect(page).toHaveURL(new RegExp(`/settings/workflows/${runId}$`));
  const steps = page.getByTestId("workflow-step");
  await expect(steps).toHaveCount(2);
  await expect(page.locator('[data-testid="workflow-step"][data-step="comment"]')).toContainText("GitHub answered 502");
  await expect(page.getByTestId("workflow-run-retry")).toBeVisible();
  await graceContext.dispose();
});
