import { execFileSync } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as samlify from "samlify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSamlBridge, samlPersonOf, type SamlBridge } from "./saml-bridge";

/*
 * The SAML bridge end to end without a browser: Jackson in memory, and samlify as the IdP signing
 * real responses. The browser's hops (to the IdP, the auto-submitted form back) are plain calls here.
 */
const PUBLIC_URL = "http://localhost:3999";
const POST_BINDING = samlify.Constants.namespace.binding.post;
const REDIRECT_BINDING = samlify.Constants.namespace.binding.redirect;
const silent = { debug: () => {}, warn: () => {} };

samlify.setSchemaValidator({ validate: () => Promise.resolve("skipped") });

let bridge: SamlBridge;

beforeAll(async () => {
  bridge = await createSamlBridge({ publicUrl: PUBLIC_URL, secret: randomBytes(32), logger: silent });
});
afterAll(async () => {
  await bridge?.close();
});

describe("SAML sign-in through the Jackson bridge", () => {
  it("turns a signed SAMLResponse into an OAuth code, a token and the person with their groups", async () => {
    const flow = await startFlow();
    const samlResponse = await flow.idp.respond(flow.samlRequest, {
      email: "Alice@Example.test",
      name: "Alice Admin",
      groups: ["eng-admins", "engineering"],
    });
    const back = await bridge.oauth.samlResponse({ SAMLResponse: samlResponse, RelayState: flow.relayState });
    const redirect = new URL(back.redirect_url!);
    expect(redirect.origin + redirect.pathname).toBe(flow.callbackUrl);
    expect(redirect.searchParams.get("state")).toBe(flow.state);

    const token = await bridge.oauth.token({
      grant_type: "authorization_code",
      code: redirect.searchParams.get("code")!,
      redirect_uri: flow.callbackUrl,
      code_verifier: flow.verifier,
    });
    const info = (await bridge.oauth.userInfo(token.access_token)) as unknown as Record<string, unknown>;
    expect(info.requested).toMatchObject({ tenant: flow.organizationId, product: "devflow", idp_hint: flow.idpHint });
    expect(samlPersonOf(info)).toEqual({
      id: "Alice@Example.test",
      email: "alice@example.test",
      name: "Alice Admin",
      groups: ["eng-admins", "engineering"],
    });
  });

  it("refuses a response signed by a key other than the one in the connection's metadata", async () => {
    const flow = await startFlow();
    const impostor = testIdp(flow.idp.entityId, bridge);
    const samlResponse = await impostor.respond(flow.samlRequest, {
      email: "mallory@example.test",
      name: "M",
      groups: [],
    });
    const back = await bridge.oauth.samlResponse({ SAMLResponse: samlResponse, RelayState: flow.relayState });
    // Back to next-auth with an OAuth error instead of a code.
    const redirect = new URL(back.redirect_url!);
    expect(redirect.searchParams.get("error")).toBe("access_denied");
    expect(redirect.searchParams.has("code")).toBe(false);
  });

  it("refuses a response to a sign-in it never started", async () => {
    const flow = await startFlow();
    const samlResponse = await flow.idp.respond(flow.samlRequest, { email: "a@example.test", name: "A", groups: [] });
    await expect(
      bridge.oauth.samlResponse({ SAMLResponse: samlResponse, RelayState: "boxyhq_jackson_unknown" }),
    ).rejects.toThrow(/validate state/);
  });

  it("redeems a code only with the PKCE verifier it was issued for", async () => {
    const flow = await startFlow();
    const samlResponse = await flow.idp.respond(flow.samlRequest, { email: "b@example.test", name: "B", groups: [] });
    const back = await bridge.oauth.samlResponse({ SAMLResponse: samlResponse, RelayState: flow.relayState });
    const code = new URL(back.redirect_url!).searchParams.get("code")!;
    await expect(
      bridge.oauth.token({
        grant_type: "authorization_code",
        code,
        redirect_uri: flow.callbackUrl,
        code_verifier: randomBytes(32).toString("base64url"),
      }),
    ).rejects.toThrow(/code_verifier/);
  });

  it("only redirects to the callback of the connection it was registered with", async () => {
    const flow = await startFlow();
    const elsewhere = bridge.oauth.authorize({
      client_id: bridge.clientOf(flow.organizationId).clientId,
      redirect_uri: `${PUBLIC_URL}/api/auth/callback/sso-${randomUUID()}`,
      response_type: "code",
      state: "s",
      idp_hint: flow.idpHint,
    } as never);
    await expect(elsewhere).rejects.toThrow(/Redirect URL is not allowed/);
  });
});

/**
 * A fresh IdP and connection (Jackson lets one IdP entity ID serve one organization only), and a
 * sign-in started the way next-auth starts it (state + PKCE S256).
 */
async function startFlow() {
  const idp = testIdp(`https://idp-${randomUUID().slice(0, 8)}.example.test/saml`, bridge);
  const organizationId = randomUUID();
  const connectionId = randomUUID();
  const callbackUrl = `${PUBLIC_URL}/api/auth/callback/sso-${connectionId}`;
  const registration = {
    connectionId,
    organizationId,
    metadataXml: idp.metadataXml,
    updatedAt: new Date(),
    callbackUrl,
  };
  const idpHint = await bridge.register(registration);
  // Unchanged rows are not registered again.
  expect(await bridge.register(registration)).toBe(idpHint);
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(8).toString("hex");
  const authorized = await bridge.oauth.authorize({
    client_id: bridge.clientOf(organizationId).clientId,
    redirect_uri: callbackUrl,
    response_type: "code",
    state,
    idp_hint: idpHint,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  } as never);
  const toIdp = new URL(authorized.redirect_url!);
  expect(toIdp.origin + toIdp.pathname).toBe(`${idp.entityId}/sso`);
  return {
    idp,
    organizationId,
    callbackUrl,
    idpHint,
    verifier,
    state,
    samlRequest: toIdp.searchParams.get("SAMLRequest")!,
    relayState: toIdp.searchParams.get("RelayState")!,
  };
}

interface TestIdp {
  entityId: string;
  metadataXml: string;
  respond(samlRequest: string, person: { email: string; name: string; groups: string[] }): Promise<string>;
}

/** A samlify IdP under `entityId` with a key of its own; `respond` answers an AuthnRequest. */
function testIdp(entityId: string, forBridge: SamlBridge): TestIdp {
  const { privateKey, certificate } = makeSigningKey();
  const identityProvider = samlify.IdentityProvider({
    entityID: entityId,
    privateKey,
    signingCert: certificate,
    wantAuthnRequestsSigned: false,
    singleSignOnService: [{ Binding: REDIRECT_BINDING, Location: `${entityId}/sso` }],
  });
  const sp = samlify.ServiceProvider({
    entityID: forBridge.serviceProvider.entityId,
    assertionConsumerService: [{ Binding: POST_BINDING, Location: forBridge.serviceProvider.acsUrl }],
    wantAssertionsSigned: true,
  });
  return {
    entityId,
    metadataXml: identityProvider.getMetadata(),
    async respond(samlRequest, person) {
      const request = await identityProvider.parseLoginRequest(sp, "redirect", { query: { SAMLRequest: samlRequest } });
      const inResponseTo = String((request.extract as { request?: { id?: string } }).request?.id ?? "");
      const response = await identityProvider.createLoginResponse(
        sp,
        { extract: request.extract },
        "post",
        { ...person },
        { customTagReplacement: (template) => loginResponse(template, entityId, forBridge, inResponseTo, person) },
      );
      return response.context;
    },
  };
}

function loginResponse(
  template: string,
  issuer: string,
  forBridge: SamlBridge,
  inResponseTo: string,
  person: { email: string; name: string; groups: string[] },
) {
  const id = `_${randomUUID()}`;
  const now = new Date().toISOString();
  const later = new Date(Date.now() + 5 * 60_000).toISOString();
  const attribute = (name: string, values: string[]) =>
    `<saml:Attribute Name="${name}">${values.map((v) => `<saml:AttributeValue>${escapeXml(v)}</saml:AttributeValue>`).join("")}</saml:Attribute>`;
  const statements = `<saml:AttributeStatement>${attribute("email", [person.email])}${attribute("name", [person.name])}${
    person.groups.length ? attribute("groups", person.groups) : ""
  }</saml:AttributeStatement>`;
  const values: Record<string, string> = {
    ID: id,
    AssertionID: `_${randomUUID()}`,
    Destination: forBridge.serviceProvider.acsUrl,
    Audience: forBridge.serviceProvider.entityId,
    SubjectRecipient: forBridge.serviceProvider.acsUrl,
    Issuer: issuer,
    IssueInstant: now,
    StatusCode: samlify.Constants.StatusCode.Success,
    ConditionsNotBefore: now,
    ConditionsNotOnOrAfter: later,
    SubjectConfirmationDataNotOnOrAfter: later,
    NameIDFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    NameID: person.email,
    InResponseTo: inResponseTo,
  };
  const context = template
    .replace("{AuthnStatement}", "")
    .replace("{AttributeStatement}", statements)
    .replace(/\{(\w+)\}/g, (tag, name: string) => (name in values ? escapeXml(values[name]!) : tag));
  return { id, context };
}

function makeSigningKey(): { privateKey: string; certificate: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "devflow-saml-test-"));
  try {
    const keyFile = path.join(dir, "key.pem");
    const certFile = path.join(dir, "cert.pem");
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "1", "-subj", "/CN=test-idp"].concat([
        "-keyout",
        keyFile,
        "-out",
        certFile,
      ]),
      { stdio: "ignore" },
    );
    return { privateKey: readFileSync(keyFile, "utf8"), certificate: readFileSync(certFile, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function escapeXml(value: string): string {
  return value.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
