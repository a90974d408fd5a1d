import { createHmac, randomBytes } from "node:crypto";
import { sign } from "@octokit/webhooks-methods";
import { expect, test } from "@playwright/test";
import { inviteAndAccept, signedIn } from "../support/access";
import { insertRepository } from "../support/db";
import { ADA, GRACE, signIn, unique, uniqueKey } from "../support/devflow";

/**
 * An admin connects a GitHub webhook in settings and pastes what the dialog shows into GitHub; the
 * deliveries GitHub then sends (signed with that secret) reach the worker and show on the page. A
 * delivery signed with anything else is refused. Members do not see the page's contents.
 */
test("an admin connects a GitHub webhook and a Slack app; signed deliveries arrive, unsigned ones are refused", async ({
  page,
  playwright,
}) => {
  const { api: graceApi, context: graceContext } = await signedIn(playwright.request, GRACE.email);
  const organization = await graceApi.createOrganization(unique("Integrations"));
  await signIn(page.request, GRACE.email);

  await page.goto(`/${organization.slug}/settings/integrations`);
  await expect(page.getByRole("heading", { name: "Integrations", level: 1 })).toBeVisible();
  await expect(page.getByTestId("integrations-empty")).toBeVisible();
  await expect(page.getByTestId("failed-jobs-empty")).toBeVisible();

  await page.getByTestId("connect-github").click();
  const dialog = page.getByTestId("github-webhook-dialog");
  await expect(dialog.getByText("You won't see this secret again")).toBeVisible();
  const url = await dialog.getByTestId("github-webhook-url").inputValue();
  const secret = await dialog.getByTestId("github-webhook-secret").inputValue();
  expect(url).toMatch(/^http:\/\/localhost:\d+\/webhooks\/github\?integration=[0-9a-f-]{36}$/);
  expect(secret).toMatch(/^[0-9a-f]{64}$/);
  await dialog.getByTestId("github-webhook-done").click();
  await expect(page.getByTestId("integration-row")).toHaveCount(1);
  await expect(page.getByTestId("integration-row")).toContainText("None yet");

  // GitHub's first delivery after adding a webhook is a ping.
  const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1, hook: { type: "Repository" } });
  const deliver = (signature: string) =>
    fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "ping",
        "x-github-delivery": crypto.randomUUID(),
        "x-hub-signature-256": signature,
      },
      body,
    });
  expect((await deliver(await sign("not the secret", body))).status).toBe(401);
  const accepted = await deliver(await sign(secret, body));
  expect(accepted.status).toBe(202);

  await page.reload();
  const row = page.getByTestId("integration-row").first();
  await expect(row.getByRole("cell").nth(2)).toHaveText("1");
  await expect(row).not.toContainText("None yet");

  // Slack: the admin pastes the app's signing secret and gives Slack the Request URL, which then
  // answers Slack's url_verification handshake signed with that secret.
  const signingSecret = randomBytes(16).toString("hex");
  await page.getByTestId("slack-signing-secret").fill(signingSecret);
  await page.getByRole("button", { name: "Connect Slack" }).click();
  const requestUrl = await page.getByTestId("slack-request-url").inputValue();
  expect(requestUrl).toMatch(/\/webhooks\/slack\?integration=[0-9a-f-]{36}$/);
  const handshake = JSON.stringify({ token: "t", challenge: "c4allenge", type: "url_verification" });
  const timestamp = Math.floor(Date.now() / 1000);
  const slackSignature = `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${handshake}`).digest("hex")}`;
  const answered = await fetch(requestUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": slackSignature,
    },
    body: handshake,
  });
  expect(await answered.json()).toEqual({ challenge: "c4allenge" });
  await expect(page.getByTestId("integration-row")).toHaveCount(2);

  // A member is told to ask an admin, and the API refuses them too.
  const { api: adaApi, context: adaContext } = await signedIn(playwright.request, ADA.email);
  await inviteAndAccept(graceApi.in(organization.id), organization.name, { api: adaApi, email: ADA.email }, "member");
  await signIn(page.request, ADA.email);
  await page.goto(`/${organization.slug}/settings/integrations`);
  await expect(page.getByTestId("integrations-admins-only")).toBeVisible();
  expect((await adaApi.in(organization.id).call("GET", "/integrations")).status).toBe(403);

  await graceContext.dispose();
  await adaContext.dispose();
});

/**
 * A project's Delivery page sends an admin to where repositories are linked; once one is linked to
 * the project there, the Delivery page names it.
 */
test("an admin links a repository to a project, and the project's Delivery page shows it", async ({
  page,
  playwright,
}) => {
  const { api: graceApi, context: graceContext } = await signedIn(playwright.request, GRACE.email);
  const organization = await graceApi.createOrganization(unique("Repositories"));
  const project = await graceApi.in(organization.id).createProject({ name: unique("Checkout"), key: uniqueKey() });
  const fullName = `acme/${uniqueKey().toLowerCase()}`;
  await insertRepository(organization.id, fullName);
  await signIn(page.request, GRACE.email);

  await page.goto(`/${organization.slug}/projects/${project.id}/delivery`);
  await expect(page.getByTestId("dora-empty")).toContainText("Link a repository to see metrics");
  await page.getByTestId("dora-link-repository").click();
  await expect(page).toHaveURL(new RegExp(`/${organization.slug}/settings/integrations#repositories$`));

  const row = page.getByTestId("repository-row").filter({ hasText: fullName });
  const select = row.getByTestId("repository-project");
  await expect(select).toHaveValue("");
  // Saved as soon as it is chosen.
  const saved = page.waitForResponse(
    (r) => r.request().method() === "PUT" && r.url().includes("/api/v1/repositories/"),
  );
  await select.selectOption({ label: `${project.key} · ${project.name}` });
  expect((await saved).status()).toBe(200);
  await page.reload();
  await expect(select).toHaveValue(project.id);

  await page.goto(`/${organization.slug}/projects/${project.id}/delivery`);
  await expect(page.getByTestId("dora-repositories")).toHaveText(`Linked repositories: ${fullName}`);
  await expect(page.getByTestId("dora-empty")).toContainText("Nothing deployed");

  await graceContext.dispose();
});

/** An admin tightens a repository's quality gates in its dialog; they are what the dialog shows next time. */
test("an admin sets a repository's quality gates, and they are kept", async ({ page, playwright }) => {
  const { api: graceApi, context: graceContext } = await signedIn(playwright.request, GRACE.email);
  const organization = await graceApi.createOrganization(unique("Quality gates"));
  const fullName = `acme/${uniqueKey().toLowerCase()}`;
  await insertRepository(organization.id, fullName);
  await signIn(page.request, GRACE.email);

  await page.goto(`/${organization.slug}/settings/integrations#repositories`);
  const row = page.getByTestId("repository-row").filter({ hasText: fullName });
  await row.getByTestId("repository-quality-gates").click();
  const dialog = page.getByTestId("quality-gates-dialog");
  const maxRisk = dialog.getByTestId("quality-gates-max-risk");
  await expect(maxRisk).toHaveValue("70");
  await expect(dialog.getByTestId("quality-gates-requireTestsWithSource")).toBeChecked();
  await maxRisk.fill("35");
  await dialog.getByTestId("quality-gates-requireLinkedDoc").check();
  await dialog.getByTestId("quality-gates-save").click();
  await expect(dialog).toBeHidden();

  await page.reload();
  await row.getByTestId("repository-quality-gates").click();
  await expect(maxRisk).toHaveValue("35");
  await expect(dialog.getByTestId("quality-gates-requireLinkedDoc")).toBeChecked();
  await expect(dialog.getByTestId("quality-gates-requireApprovedDoc")).not.toBeChecked();

  await graceContext.dispose();
});
