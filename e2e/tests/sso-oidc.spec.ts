import { SessionSchema, SsoConnectionSchema, SsoDomainSchema, VerifySsoDomainResultSchema } from "@devflow/contracts";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import {
  ADA,
  Api,
  continueWithEmail,
  DEMO_CO,
  expectError,
  GRACE,
  organizationOf,
  projectCard,
  signIn,
  unique,
} from "../support/devflow";
import { mailsTo, publishTxt } from "../support/mailbox";
import { reserveOidcIdp, type ReservedIdp } from "../support/oidc-idp";
import { WEB_URL } from "../support/ports";

/**
 * Single sign-on through a real OpenID Connect provider (oidc-provider, started here). Ada, an owner,
 * sets up "Initech": a verified email domain, an OIDC connection whose "initech-admins" group maps to
 * admin. People of that domain then sign in through the IdP and are provisioned on first sign-in.
 */
test.describe.configure({ mode: "serial" });

const domain = `initech-${randomUUID().slice(0, 8)}.test`;
const alice = { email: `alice@${domain}`, name: "Alice Admin", groups: ["initech-admins"] };
const bob = { email: `bob@${domain}`, name: "Bob Builder", groups: ["initech-engineers"] };
const carol = { email: `carol@${domain}`, name: "Carol Contractor", groups: [] };

let idp: ReservedIdp;
let adaContext: APIRequestContext;
let ada: Api;
let initech: { id: string; slug: string; name: string };
let initechProjectId: string;

test.beforeAll(async ({ playwright }) => {
  idp = await reserveOidcIdp();
  adaContext = await playwright.request.newContext({ baseURL: WEB_URL });
  const { api } = await signIn(adaContext, ADA.email);
  const organization = await api.createOrganization(unique("Initech"));
  initech = organization;
  ada = api.in(organization.id);
  initechProjectId = (await ada.createProject({ name: "Red Stapler", description: "Initech only" })).id;

  const added = await ada.ok("POST", "/sso/domains", (b) => SsoDomainSchema.parse(b), { data: { domain } }, 201);
  expect(added.status).toBe("pending");
  expect(added.txtRecord.name).toBe(`_devflow-verification.${domain}`);
  // Verification reads DNS; first with nothing published, then with the record.
  const before = await ada.ok("POST", `/sso/domains/${added.id}/verify`, (b) => VerifySsoDomainResultSchema.parse(b));
  expect(before.verified).toBe(false);
  await publishTxt(added.txtRecord.name, ["v=spf1 -all", added.txtRecord.value]);
  const after = await ada.ok("POST", `/sso/domains/${added.id}/verify`, (b) => VerifySsoDomainResultSchema.parse(b));
  expect(after.verified, after.message).toBe(true);

  const clientSecret = `secret-${randomUUID()}`;
  const connection = await ada.ok(
    "POST",
    "/sso/connections",
    (b) => SsoConnectionSchema.parse(b),
    {
      data: {
        protocol: "oidc",
        name: "Initech IdP",
        defaultRole: "member",
        groupRoleMap: { "initech-admins": "admin" },
        config: { issuer: idp.issuer, clientId: "devflow-e2e", clientSecret, scopes: "openid email profile groups" },
      },
    },
    201,
  );
  expect(JSON.stringify(connection)).not.toContain(clientSecret);
  idp.start(
    { clientId: "devflow-e2e", clientSecret, redirectUri: `${WEB_URL}/api/auth/callback/sso-${connection.id}` },
    [alice, bob, carol],
  );
});

test.afterAll(async () => {
  await adaContext?.dispose();
  await idp?.close();
});

/** Types the email on DevFlow's sign-in page, then logs in and consents on the IdP's own pages. */
async function signInThroughIdp(page: Page, person: { email: string }) {
  await continueWithEmail(page, person.email);
  // Home-realm discovery: straight to the IdP, no DevFlow password or link.
  await page.waitForURL((url) => url.origin === idp.issuer);
  await page.locator('input[name="login"]').fill(person.email);
  await page.locator('input[name="password"]').fill("any password");
  await page.locator('button[type="submit"]').click();
  // oidc-provider asks for consent once per client.
  await page.waitForURL((url) => url.origin !== idp.issuer || url.pathname.includes("/interaction/"));
  if (new URL(page.url()).origin === idp.issuer) await page.locator('button[type="submit"]').click();
  await page.waitForURL((url) => url.origin === new URL(WEB_URL).origin && !url.pathname.startsWith("/api/"));
}

test("the first SSO sign-in provisions the person into the organization with the role their group maps to", async ({
  page,
}) => {
  await signInThroughIdp(page, alice);
  await expect(page).toHaveURL(`/${initech.slug}`);
  await expect(page.getByTestId("user-menu")).toContainText(alice.name);
  const session = SessionSchema.parse(await (await page.request.get("/api/v1/session")).json());
  expect(session.user.email).toBe(alice.email);
  expect(organizationOf(session, initech.slug).role).toBe("admin");
  // An admin sees the organization's project.
  await expect(projectCard(page, "Red Stapler")).toBeVisible();
});

test("someone whose groups map to nothing gets the connection's default role", async ({ page }) => {
  await signInThroughIdp(page, bob);
  const session = SessionSchema.parse(await (await page.request.get("/api/v1/session")).json());
  expect(organizationOf(session, initech.slug).role).toBe("member");
});

test("an SSO user cannot reach another organization's data, nor can another organization's user reach Initech's", async ({
  page,
  playwright,
}) => {
  await signInThroughIdp(page, bob);
  const bobApi = new Api(page.request);
  const graceContext = await playwright.request.newContext({ baseURL: WEB_URL });
  const { api: graceApi, session: grace } = await signIn(graceContext, GRACE.email);
  const demoCoId = organizationOf(grace, DEMO_CO.slug).id;
  expectError(await bobApi.in(demoCoId).call("GET", "/projects"), 403, "forbidden");
  expectError(await bobApi.in(demoCoId).call("GET", `/projects/${initechProjectId}`), 403, "forbidden");

  expectError(await graceApi.in(initech.id).call("GET", "/projects"), 403, "forbidden");
  expectError(await graceApi.in(demoCoId).call("GET", `/projects/${initechProjectId}`), 404, "not_found");
  await graceContext.dispose();
});

test("with SSO enforced, an email link is refused for the domain and other sessions lose access", async ({ page }) => {
  await ada.ok("PUT", "/sso/enforcement", (b) => b, { data: { enforced: true } });

  // Asking for an email link as carol@initech: refused before any email is sent, with the reason.
  const csrf = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const refused = await page.request.post("/api/auth/signin/email", {
    form: { email: carol.email, csrfToken: csrf.csrfToken, callbackUrl: "/", json: "true" },
  });
  const { url } = (await refused.json()) as { url: string };
  expect(new URL(url, WEB_URL).searchParams.get("error")).toBe("sso_required");
  await page.goto(url);
  await expect(page.getByTestId("sign-in-form").getByRole("alert")).toContainText(
    "requires signing in with its single sign-on",
  );
  expect(await mailsTo(carol.email)).toEqual([]);

  // Ada's development session did not come through Initech's IdP: Initech is closed to it now.
  const blocked = expectError(await ada.call("GET", "/projects"), 403, "forbidden");
  expect(blocked.error.details).toMatchObject({ reason: "sso_required" });

  // Through the IdP, Carol gets in (provisioned with the default role).
  await signInThroughIdp(page, carol);
  await expect(page).toHaveURL(`/${initech.slug}`);
  const session = SessionSchema.parse(await (await page.request.get("/api/v1/session")).json());
  expect(organizationOf(session, initech.slug).role).toBe("member");
});
