import { SessionSchema, SsoConnectionSchema, SsoDomainSchema, VerifySsoDomainResultSchema } from "@devflow/contracts";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { ADA, Api, continueWithEmail, organizationOf, projectCard, signIn, unique } from "../support/devflow";
import { publishTxt } from "../support/mailbox";
import { WEB_URL } from "../support/ports";
import { startSamlIdp, type SamlIdp } from "../support/saml-idp";

/**
 * Single sign-on through a SAML 2.0 identity provider (samlify, started here). Ada, an owner, sets up
 * "Hooli": a verified email domain and a SAML connection made from the IdP's metadata XML, whose
 * "hooli-admins" group maps to admin. People of that domain sign in through the IdP — the request
 * goes out over HTTP-Redirect, the signed response comes back over HTTP-POST — and are provisioned
 * on their first sign-in.
 */
test.describe.configure({ mode: "serial" });

const domain = `hooli-${randomUUID().slice(0, 8)}.test`;
const gavin = { email: `gavin@${domain}`, name: "Gavin Belson", groups: ["hooli-admins", "hooli-everyone"] };
const dinesh = { email: `dinesh@${domain}`, name: "Dinesh Chugtai", groups: ["hooli-everyone"] };
const serviceProvider = { entityId: WEB_URL, acsUrl: `${WEB_URL}/api/oauth/saml` };

let idp: SamlIdp;
let adaContext: APIRequestContext;
let ada: Api;
let hooli: { id: string; slug: string; name: string };
let connectionId: string;

test.beforeAll(async ({ playwright }) => {
  idp = await startSamlIdp(serviceProvider, [gavin, dinesh]);
  adaContext = await playwright.request.newContext({ baseURL: WEB_URL });
  const { api } = await signIn(adaContext, ADA.email);
  hooli = await api.createOrganization(unique("Hooli"));
  ada = api.in(hooli.id);
  await ada.createProject({ name: "Nucleus", description: "Hooli only" });

  const added = await ada.ok("POST", "/sso/domains", (b) => SsoDomainSchema.parse(b), { data: { domain } }, 201);
  await publishTxt(added.txtRecord.name, [added.txtRecord.value]);
  const verified = await ada.ok("POST", `/sso/domains/${added.id}/verify`, (b) => VerifySsoDomainResultSchema.parse(b));
  expect(verified.verified, verified.message).toBe(true);

  const connection = await ada.ok(
    "POST",
    "/sso/connections",
    (b) => SsoConnectionSchema.parse(b),
    {
      data: {
        protocol: "saml",
        name: "Hooli IdP",
        defaultRole: "member",
        groupRoleMap: { "hooli-admins": "admin" },
        config: { entityId: idp.entityId, metadataXml: idp.metadataXml },
      },
    },
    201,
  );
  connectionId = connection.id;
});

test.afterAll(async () => {
  await adaContext?.dispose();
  await idp?.close();
});

/** Types the email on DevFlow's sign-in page, then logs in on the IdP's page, which posts back to DevFlow. */
async function signInThroughIdp(page: Page, person: { email: string }) {
  await continueWithEmail(page, person.email);
  // Home-realm discovery: straight to the IdP with a SAML AuthnRequest.
  await page.waitForURL((url) => url.origin === idp.url && url.searchParams.has("SAMLRequest"));
  await page.getByRole("textbox", { name: "Email" }).fill(person.email);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.origin === new URL(WEB_URL).origin && !url.pathname.startsWith("/api/"));
}

test("discovery offers the SAML connection for the verified domain", async ({ request }) => {
  const response = await request.post("/api/v1/session/discover", { data: { email: gavin.email } });
  expect(response.ok()).toBe(true);
  expect(await response.json()).toMatchObject({ sso: { connectionId, organizationName: hooli.name } });
});

test("the first SAML sign-in provisions the person with the role their group maps to", async ({ page }) => {
  await signInThroughIdp(page, gavin);
  await expect(page).toHaveURL(`/${hooli.slug}`);
  await expect(page.getByTestId("user-menu")).toContainText(gavin.name);
  const session = SessionSchema.parse(await (await page.request.get("/api/v1/session")).json());
  expect(session.user.email).toBe(gavin.email);
  expect(organizationOf(session, hooli.slug).role).toBe("admin");
  await expect(projectCard(page, "Nucleus")).toBeVisible();
});

test("someone whose groups map to nothing gets the connection's default role", async ({ page }) => {
  await signInThroughIdp(page, dinesh);
  await expect(page).toHaveURL(`/${hooli.slug}`);
  const session = SessionSchema.parse(await (await page.request.get("/api/v1/session")).json());
  expect(session.user.email).toBe(dinesh.email);
  expect(organizationOf(session, hooli.slug).role).toBe("member");
});

test("a SAMLResponse that answers no pending sign-in is refused", async ({ page }) => {
  const forged = Buffer.from(
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><saml:Issuer>${idp.entityId}</saml:Issuer></samlp:Response>`,
  ).toString("base64");
  const response = await page.request.post("/api/oauth/saml", {
    form: { SAMLResponse: forged, RelayState: "boxyhq_jackson_0000" },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(303);
  expect(new URL(response.headers().location ?? "", WEB_URL).pathname).toBe("/sign-in");
  const session = await page.request.get("/api/v1/session");
  expect(session.status()).toBe(401);
});

test("the SSO settings show admins the ACS URL and entity ID to give their IdP", async ({ page }) => {
  await signIn(page.request, ADA.email);
  await page.goto(`/${hooli.slug}/settings/sso`);
  const row = page.getByTestId("sso-connection-row").filter({ hasText: "Hooli IdP" });
  await expect(row.getByTestId("sso-test-sign-in")).toBeVisible();
  await row.getByTestId("sso-edit-connection").click();
  const dialog = page.getByTestId("sso-connection-dialog");
  await expect(dialog.getByTestId("saml-acs-url")).toHaveText(serviceProvider.acsUrl);
  await expect(dialog.getByTestId("saml-sp-entity-id")).toHaveText(serviceProvider.entityId);
});
