import { readFile } from "node:fs/promises";
import { API_TOKEN_SCOPES, ApiTokenSchema, MemberSchema, pageOf } from "@devflow/contracts";
import { expect, test, type Page } from "@playwright/test";
import { bearerApi, createApiToken, inviteAndAccept, signedIn } from "../support/access";
import { ADA, DEMO_CO, expectError, GRACE, organizationOf, signIn, unique, uniqueKey } from "../support/devflow";

/**
 * Personal API tokens: made on the settings page, sent as `Authorization: Bearer …` from a request
 * context without cookies, narrowed to their scopes and to their organization, and gone the moment
 * they are revoked. Grace owns a fresh organization per test ("Tokens …", after her seeded ones).
 */

const TOKEN = /^dfp_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/;

function tokenRow(page: Page, name: string) {
  return page.getByTestId("token-row").filter({ hasText: name });
}

test("a token made on the settings page is shown once, works as a bearer token within its scopes, and stops at once when revoked", async ({
  page,
  playwright,
}) => {
  await signIn(page.request, GRACE.email);
  const { api, context: graceContext } = await signedIn(playwright.request, GRACE.email);
  const organization = await api.createOrganization(unique("Tokens"));
  const grace = api.in(organization.id);
  const project = await grace.createProject({ name: unique("Pipeline"), key: uniqueKey() });
  const name = unique("CI reader");

  await page.goto(`/${organization.slug}/settings/tokens`);
  await expect(page.getByTestId("tokens-empty")).toBeVisible();
  await page.getByTestId("new-token").click();
  const dialog = page.getByTestId("new-token-dialog");
  await dialog.getByTestId("token-name").fill(name);
  // An owner is offered every scope.
  for (const scope of API_TOKEN_SCOPES) await expect(dialog.getByTestId(`token-access-${scope}`)).toBeVisible();
  await dialog.getByTestId("token-access-read").check();
  await dialog.getByTestId("token-expiry").selectOption("30");
  await dialog.getByTestId("create-token").click();

  await expect(dialog.getByTestId("token-reveal")).toContainText("You won't see this token again");
  const token = await dialog.getByTestId("token-value").inputValue();
  expect(token).toMatch(TOKEN);
  const secret = token.slice(-43);
  await dialog.getByTestId("token-reveal-done").click();
  await expect(dialog).toBeHidden();

  // From now on only its beginning is shown, in the page and in the API.
  const row = tokenRow(page, name);
  await expect(row).toContainText("Read");
  const listed = (await grace.ok("GET", "/tokens", (b) => pageOf(ApiTokenSchema).parse(b))).items;
  expect(listed).toHaveLength(1);
  expect(listed[0]).toMatchObject({ name, scopes: ["read"], lastUsedAt: null });
  expect(token.startsWith(listed[0]!.prefix)).toBe(true);
  expect(JSON.stringify(listed)).not.toContain(secret);
  await expect(row).toContainText(`dfp_…${listed[0]!.prefix.slice(-8)}`);
  await page.reload();
  await expect(tokenRow(page, name)).toBeVisible();
  expect(await page.content()).not.toContain(secret);

  // The token alone, without cookies: it reads, within its organization…
  const { api: bearer, context } = await bearerApi(playwright.request, token);
  expect((await bearer.listProjects()).items.map((p) => p.id)).toEqual([project.id]);
  expect((await bearer.call("GET", `/projects/${project.id}`)).status).toBe(200);
  // …but a read token writes nothing.
  const denied = expectError(
    await bearer.call("POST", "/projects", { data: { name: unique("By a read token") } }),
    403,
    "forbidden",
  );
  expect(denied.error.message.length).toBeGreaterThan(0);
  expectError(await bearer.call("PATCH", `/projects/${project.id}`, { data: { name: "Renamed" } }), 403, "forbidden");
  // Nor can a token mint tokens, whatever its scopes.
  expectError(await bearer.call("POST", "/tokens", { data: { name: "Child", scopes: ["read"] } }), 403, "forbidden");
  expect((await grace.listProjects()).items.map((p) => p.name)).toEqual([project.name]);

  await page.getByRole("button", { name: `Revoke ${name}` }).click();
  const confirm = page.getByTestId("confirm-dialog");
  await expect(confirm).toContainText(name);
  await confirm.getByRole("button", { name: "Revoke token" }).click();
  await expect(confirm).toBeHidden();
  await expect(tokenRow(page, name)).toHaveCount(0);
  await expect(page.getByTestId("tokens-empty")).toBeVisible();

  // The very next call is refused.
  expectError(await bearer.call("GET", "/projects"), 401, "unauthenticated");
  expectError(await bearer.call("GET", `/projects/${project.id}`), 401, "unauthenticated");
  await context.dispose();
  await graceContext.dispose();
});

test("a write token writes but cannot administer, and a token is bound to its own organization", async ({
  playwright,
}) => {
  const { api, session, context: graceContext } = await signedIn(playwright.request, GRACE.email);
  const demoCoId = organizationOf(session, DEMO_CO.slug).id;
  const organization = await api.createOrganization(unique("Tokens"));
  const grace = api.in(organization.id);
  const created = await createApiToken(grace, { name: unique("Deployer"), scopes: ["read", "write"] });
  expect(created.scopes).toEqual(["read", "write"]);
  const { api: bearer, context } = await bearerApi(playwright.request, created.token);

  const project = await bearer.createProject({ name: unique("Made by a token"), key: uniqueKey() });
  expectError(await bearer.call("DELETE", `/projects/${project.id}`), 403, "forbidden");
  expectError(await bearer.call("PATCH", "/organization", { data: { name: "Renamed" } }), 403, "forbidden");

  // Naming another organization — one Grace herself belongs to — is refused, not ignored.
  const mismatch = expectError(await bearer.in(demoCoId).call("GET", "/projects"), 403, "tenant_mismatch");
  expect(mismatch.error.message).toContain(organization.id);
  expectError(
    await bearer.in(demoCoId).call("POST", "/projects", { data: { name: unique("Elsewhere") } }),
    403,
    "tenant_mismatch",
  );
  // Naming its own organization is fine.
  expect((await bearer.in(organization.id).listProjects()).items.map((p) => p.id)).toEqual([project.id]);
  // Demo Co's projects do not exist as far as the token is concerned.
  const platform = await api.in(demoCoId).projectNamed("Platform");
  expectError(await bearer.call("GET", `/projects/${platform.id}`), 404, "not_found");

  // A bad token never falls back to the session cookie sent with it.
  for (const authorization of ["Bearer dfp_not-a-token", `Bearer ${created.token.slice(0, -1)}x`, "Bearer"]) {
    expectError(await grace.call("GET", "/projects", { headers: { authorization } }), 401, "unauthenticated");
  }
  await context.dispose();
  await graceContext.dispose();
});

test("a token never does more than its holder's role now allows", async ({ playwright }) => {
  const { api: adaApi, context: adaContext } = await signedIn(playwright.request, ADA.email);
  const { api, context: graceContext } = await signedIn(playwright.request, GRACE.email);
  const organization = await api.createOrganization(unique("Tokens"));
  const grace = api.in(organization.id);
  const joined = await inviteAndAccept(grace, organization.name, { api: adaApi, email: ADA.email }, "member");
  const ada = adaApi.in(joined.id);
  const adaId = (await ada.session()).user.id;

  // A member may make write tokens, not admin ones.
  expectError(
    await ada.call("POST", "/tokens", { data: { name: "Admin", scopes: ["read", "write", "admin"] } }),
    403,
    "forbidden",
  );
  const created = await createApiToken(ada, { name: unique("Ada's writer"), scopes: ["read", "write"] });
  const { api: bearer, context } = await bearerApi(playwright.request, created.token);
  await bearer.createProject({ name: unique("While a member"), key: uniqueKey() });

  // Made a viewer: the same token can only read.
  await grace.ok("PATCH", `/members/${adaId}`, (b) => MemberSchema.parse(b), { data: { role: "viewer" } });
  expectError(await bearer.call("POST", "/projects", { data: { name: unique("While a viewer") } }), 403, "forbidden");
  expect((await bearer.listProjects()).items).toHaveLength(1);

  // Removed from the organization: the token no longer authenticates at all.
  expect((await grace.call("DELETE", `/members/${adaId}`)).status).toBe(204);
  expectError(await bearer.call("GET", "/projects"), 401, "unauthenticated");
  await context.dispose();
  await adaContext.dispose();
  await graceContext.dispose();
});

test("the audit log lists tokens created and revoked, and its CSV export contains them", async ({
  page,
  playwright,
}) => {
  await signIn(page.request, GRACE.email);
  const { api, context: graceContext } = await signedIn(playwright.request, GRACE.email);
  const organization = await api.createOrganization(unique("Tokens"));
  const grace = api.in(organization.id);
  const name = unique("Audited token");
  const created = await createApiToken(grace, { name, scopes: ["read"] });
  expect((await grace.call("DELETE", `/tokens/${created.id}`)).status).toBe(204);

  await page.goto(`/${organization.slug}/settings/audit`);
  const rows = page.getByTestId("audit-row").filter({ hasText: created.id });
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: "api_token.created" })).toContainText(GRACE.name);
  await expect(rows.filter({ hasText: "api_token.revoked" })).toContainText(GRACE.name);

  const downloading = page.waitForEvent("download");
  await page.getByTestId("export-csv").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const csv = await readFile((await download.path())!, "utf8");
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toBe(
    "time,action,actor_type,actor_user_id,actor_email,actor_name,target_type,target_id,ip_address,metadata",
  );
  const about = lines.filter((line) => line.includes(created.id));
  expect(about.map((line) => line.split(",")[1]).sort()).toEqual(["api_token.created", "api_token.revoked"]);
  for (const line of about) {
    expect(line).toContain(`,user,`);
    expect(line).toContain(GRACE.email);
    expect(line).toContain(name);
    expect(line).not.toContain(created.token.slice(-43));
  }

  // The action filter narrows the list to one of them.
  await page.getByTestId("audit-filter-action").selectOption("api_token.revoked");
  await page.getByTestId("audit-filter-apply").click();
  await expect(page.getByTestId("audit-row")).toHaveCount(1);
  await expect(page.getByTestId("audit-row")).toContainText(created.id);
  await graceContext.dispose();
});
