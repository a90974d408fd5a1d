import {
  ApiTokenSchema,
  AuditLogEntrySchema,
  CreatedScimTokenSchema,
  pageOf,
  SCIM_SCHEMA_LIST_RESPONSE,
  SCIM_SCHEMA_USER,
  type ScimListResponse,
  type ScimUserResource,
} from "@devflow/contracts";
import { expect, test } from "@playwright/test";
import {
  bearerApi,
  createApiToken,
  expectScimError,
  inviteAndAccept,
  newRequestContext,
  Scim,
  SCIM_CONTENT_TYPE,
  signedIn,
  uniqueEmail,
} from "../support/access";
import { ADA, expectError, GRACE, organizationOf, projectCard, signIn, unique, uniqueKey } from "../support/devflow";
import { WEB_URL } from "../support/ports";

/**
 * SCIM provisioning as an identity provider drives it: a bearer SCIM token, `application/scim+json`,
 * Okta's PATCH style. Grace owns a fresh organization per test ("Provisioning …", after her seeded
 * ones); the people SCIM creates sign in through the development route.
 */

function newPerson() {
  const givenName = unique("Pat").replace(" ", "-");
  return { email: uniqueEmail("provisioned"), givenName, familyName: "Provisioned", externalId: `okta-${uniqueKey()}` };
}

function scimUser(person: ReturnType<typeof newPerson>) {
  return {
    schemas: [SCIM_SCHEMA_USER],
    userName: person.email,
    externalId: person.externalId,
    name: { givenName: person.givenName, familyName: person.familyName },
    emails: [{ value: person.email, type: "work", primary: true }],
    active: true,
  };
}

test("a person provisioned by SCIM signs in; deactivation locks their session and token out at once, reactivation lets them back", async ({
  page,
  browser,
  playwright,
}) => {
  // Grace owns the organization; Ada, an admin there, connects the identity provider.
  const { api: graceApi, context: graceContext } = await signedIn(playwright.request, GRACE.email);
  const organization = await graceApi.createOrganization(unique("Provisioning"));
  const grace = graceApi.in(organization.id);
  const project = await grace.createProject({ name: unique("Onboarding"), key: uniqueKey() });
  const { api: adaApi, context: adaContext } = await signedIn(playwright.request, ADA.email);
  await inviteAndAccept(grace, organization.name, { api: adaApi, email: ADA.email }, "admin");
  await signIn(page.request, ADA.email);

  await page.goto(`/${organization.slug}/settings/provisioning`);
  await expect(page.getByTestId("scim-base-url")).toHaveValue(`${WEB_URL}/scim/v2`);
  await expect(page.getByTestId("scim-tokens-empty")).toBeVisible();
  await page.getByTestId("new-scim-token").click();
  const dialog = page.getByTestId("new-scim-token-dialog");
  await dialog.getByTestId("scim-token-name").fill("Okta");
  await dialog.getByTestId("create-scim-token").click();
  const token = await dialog.getByTestId("scim-token-value").inputValue();
  expect(token.length).toBeGreaterThan(40);
  await dialog.getByTestId("scim-token-reveal-done").click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId("scim-token-row").filter({ hasText: "Okta" })).toBeVisible();

  const idpContext = await newRequestContext(playwright.request);
  const scim = new Scim(idpContext, token);
  const person = newPerson();
  const create = await scim.call<ScimUserResource>("POST", "/Users", scimUser(person));
  expect(create.status, JSON.stringify(create.body)).toBe(201);
  const user = create.body;
  expect(user).toMatchObject({
    schemas: [SCIM_SCHEMA_USER],
    userName: person.email,
    externalId: person.externalId,
    active: true,
    name: { givenName: person.givenName, familyName: person.familyName },
  });
  expect(create.headers["location"]).toBe(`${WEB_URL}/scim/v2/Users/${user.id}`);

  // The new person signs in and finds the organization, as a member.
  const personBrowser = await browser.newContext({ baseURL: WEB_URL });
  const personPage = await personBrowser.newPage();
  await signIn(personPage.request, person.email);
  const { api: personApi, session, context: personContext } = await signedIn(playwright.request, person.email);
  expect(session.user.id).toBe(user.id);
  expect(organizationOf(session, organization.slug).role).toBe("member");
  expect(session.currentOrganizationId).toBe(organization.id);
  const asPerson = personApi.in(organization.id);
  expect((await asPerson.listProjects()).items.map((p) => p.id)).toEqual([project.id]);
  await personPage.goto(`/${organization.slug}`);
  await expect(projectCard(personPage, project.name)).toBeVisible();
  const apiToken = await createApiToken(asPerson, { name: unique("Laptop script"), scopes: ["read", "write"] });
  const { api: bearer, context: bearerContext } = await bearerApi(playwright.request, apiToken.token);
  expect((await bearer.listProjects()).items.map((p) => p.id)).toEqual([project.id]);

  // Okta deactivates them: the very next request of their session and of their token is refused.
  const deactivated = await scim.setActive(user.id, false);
  expect(deactivated.active).toBe(false);
  expectError(await asPerson.call("GET", "/projects"), 403, "forbidden");
  expectError(await asPerson.call("POST", "/projects", { data: { name: unique("After leaving") } }), 403, "forbidden");
  expectError(await bearer.call("GET", "/projects"), 401, "unauthenticated");
  expect((await personApi.session()).organizations.map((o) => o.id)).not.toContain(organization.id);
  await personPage.reload();
  await expect(personPage.getByRole("heading", { level: 1 })).toHaveText("Not found");
  await expect(projectCard(personPage, project.name)).toHaveCount(0);
  expect((await scim.ok("GET", `/Users/${user.id}`)).active).toBe(false);
  const listed = await scim.ok<ScimListResponse<ScimUserResource>>(
    "GET",
    `/Users?filter=${encodeURIComponent(`userName eq "${person.email}"`)}`,
  );
  expect(listed.schemas).toEqual([SCIM_SCHEMA_LIST_RESPONSE]);
  expect(listed.Resources.map((r) => [r.id, r.active])).toEqual([[user.id, false]]);

  // Reactivated: the session works again; the token revoked at deactivation stays revoked.
  expect((await scim.setActive(user.id, true)).active).toBe(true);
  expect((await asPerson.listProjects()).items.map((p) => p.id)).toEqual([project.id]);
  expect(organizationOf(await personApi.session(), organization.slug).role).toBe("member");
  expectError(await bearer.call("GET", "/projects"), 401, "unauthenticated");
  expect((await asPerson.ok("GET", "/tokens", (b) => pageOf(ApiTokenSchema).parse(b))).items).toEqual([]);

  // And the browser shows them the organization again.
  await personPage.reload();
  await expect(projectCard(personPage, project.name)).toBeVisible();
  await personBrowser.close();

  // What happened is in the audit log, attributed to SCIM.
  const audit = await grace.ok("GET", "/audit-log", (b) => pageOf(AuditLogEntrySchema).parse(b), {
    params: { limit: 100 },
  });
  const aboutPerson = audit.items.filter((e) => e.target?.id === user.id && e.action.startsWith("scim."));
  expect(aboutPerson.map((e) => e.action).sort()).toEqual([
    "scim.user_created",
    "scim.user_deactivated",
    "scim.user_updated",
  ]);
  expect(aboutPerson.every((e) => e.actorType === "scim")).toBe(true);
  expect(aboutPerson.find((e) => e.action === "scim.user_deactivated")?.metadata).toMatchObject({
    revokedApiTokens: 1,
  });

  await bearerContext.dispose();
  await personContext.dispose();
  await idpContext.dispose();
  await adaContext.dispose();
  await graceContext.dispose();
});

test("a SCIM token sees its own organization's people only, and a bad token gets 401 with the SCIM error", async ({
  playwright,
}) => {
  const { api, context: graceContext } = await signedIn(playwright.request, GRACE.email);
  const scimTokenOf = async (name: string) => {
    const organization = await api.createOrganization(unique(name));
    const created = await api
      .in(organization.id)
      .ok("POST", "/scim-tokens", (b) => CreatedScimTokenSchema.parse(b), { data: { name: "IdP" } }, 201);
    return { organization, api: api.in(organization.id), ...created };
  };
  const first = await scimTokenOf("Provisioning");
  const second = await scimTokenOf("Provisioning");
  const idpContext = await newRequestContext(playwright.request);
  const scimA = new Scim(idpContext, first.token);
  const scimB = new Scim(idpContext, second.token);

  const person = newPerson();
  const inB = await scimB.ok("POST", "/Users", scimUser(person), 201);

  // Organization A's token: B's person does not exist, whichever way it asks.
  expectScimError(await scimA.call("GET", `/Users/${inB.id}`), 404);
  expectScimError(await scimA.call("PATCH", `/Users/${inB.id}`, okta(false)), 404);
  expectScimError(await scimA.call("PUT", `/Users/${inB.id}`, scimUser(person)), 404);
  expectScimError(await scimA.call("DELETE", `/Users/${inB.id}`), 404);
  const search = await scimA.ok<ScimListResponse<ScimUserResource>>(
    "GET",
    `/Users?filter=${encodeURIComponent(`userName eq "${person.email}"`)}`,
  );
  expect(search.totalResults).toBe(0);
  const everyone = await scimA.ok<ScimListResponse<ScimUserResource>>("GET", "/Users?count=200");
  expect(everyone.Resources.map((r) => r.id)).not.toContain(inB.id);
  // …and B's person is untouched.
  expect((await scimB.ok("GET", `/Users/${inB.id}`)).active).toBe(true);

  // Bad credentials: 401 in SCIM's own error format, with a challenge.
  const badTokens = ["dfscim_not-a-token", `${second.token.slice(0, -1)}${second.token.endsWith("x") ? "y" : "x"}`];
  for (const bad of badTokens) {
    const refused = await new Scim(idpContext, bad).call("GET", "/Users");
    expectScimError(refused, 401);
    expect(refused.headers["www-authenticate"]).toContain("Bearer");
  }
  const anonymous = await idpContext.get("/scim/v2/Users");
  expect(anonymous.status()).toBe(401);
  expect(anonymous.headers()["content-type"]).toContain(SCIM_CONTENT_TYPE);
  expectScimError({ status: 401, body: await anonymous.json(), headers: anonymous.headers() }, 401);

  // A SCIM token is no API token, and an API token is no SCIM token.
  const { api: scimAsBearer, context } = await bearerApi(playwright.request, first.token);
  expectError(await scimAsBearer.call("GET", "/projects"), 401, "unauthenticated");
  const apiToken = await createApiToken(first.api, {
    name: unique("Not for SCIM"),
    scopes: ["read", "write", "admin"],
  });
  expectScimError(await new Scim(idpContext, apiToken.token).call("GET", "/Users"), 401);

  // A revoked SCIM token stops at once.
  expect((await first.api.call("DELETE", `/scim-tokens/${first.id}`)).status).toBe(204);
  expectScimError(await scimA.call("GET", "/Users"), 401);

  await context.dispose();
  await idpContext.dispose();
  await graceContext.dispose();
});

/** Okta's PATCH of `active`. */
function okta(active: boolean) {
  return {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    Operations: [{ op: "replace", value: { active } }],
  };
}
