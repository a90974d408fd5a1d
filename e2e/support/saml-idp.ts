/**
 * A SAML 2.0 identity provider for the browser tests, built on samlify. It takes the AuthnRequest
 * over HTTP-Redirect, shows a one-field login page, and answers with an auto-submitting form that
 * POSTs a signed SAMLResponse (email, name and groups attributes) to DevFlow's ACS, the way Okta or
 * Entra ID do. Its signing key is made fresh for each run with the openssl command line.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import * as samlify from "samlify";

export interface SamlIdpPerson {
  email: string;
  name: string;
  groups: string[];
}

export interface SamlServiceProviderInfo {
  entityId: string;
  acsUrl: string;
}

export interface SamlIdp {
  /** The IdP's origin, e.g. http://localhost:41234. */
  url: string;
  entityId: string;
  /** What an admin pastes into DevFlow's SAML connection. */
  metadataXml: string;
  close(): Promise<void>;
}

const POST_BINDING = samlify.Constants.namespace.binding.post;
const REDIRECT_BINDING = samlify.Constants.namespace.binding.redirect;
const EMAIL_NAME_ID = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";

// Schema validation of incoming requests is the service provider's concern, not this test IdP's.
samlify.setSchemaValidator({ validate: () => Promise.resolve("skipped") });

export async function startSamlIdp(sp: SamlServiceProviderInfo, people: SamlIdpPerson[]): Promise<SamlIdp> {
  const byEmail = new Map(people.map((p) => [p.email.toLowerCase(), p]));
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { "content-type": "text/plain" }).end(`test IdP error: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, () => resolve()));
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  const entityId = `${url}/metadata`;
  const { privateKey, certificate } = makeSigningKey();

  const idp = samlify.IdentityProvider({
    entityID: entityId,
    privateKey,
    signingCert: certificate,
    wantAuthnRequestsSigned: false,
    nameIDFormat: [EMAIL_NAME_ID],
    singleSignOnService: [{ Binding: REDIRECT_BINDING, Location: `${url}/sso` }],
  });
  const serviceProvider = samlify.ServiceProvider({
    entityID: sp.entityId,
    assertionConsumerService: [{ Binding: POST_BINDING, Location: sp.acsUrl }],
    wantAssertionsSigned: true,
    wantMessageSigned: true,
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const requestUrl = new URL(req.url ?? "/", url);
    if (req.method === "GET" && requestUrl.pathname === "/metadata") {
      res.writeHead(200, { "content-type": "application/samlmetadata+xml" }).end(idp.getMetadata());
      return;
    }
    if (req.method === "GET" && requestUrl.pathname === "/sso") {
      // Checks the request parses before anyone is asked to log in.
      await idp.parseLoginRequest(serviceProvider, "redirect", { query: Object.fromEntries(requestUrl.searchParams) });
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(loginPage(requestUrl.search));
      return;
    }
    if (req.method === "POST" && requestUrl.pathname === "/login") {
      const query = Object.fromEntries(requestUrl.searchParams);
      const form = new URLSearchParams(await readBody(req));
      const person = byEmail.get((form.get("email") ?? "").trim().toLowerCase());
      if (!person) {
        res.writeHead(403, { "content-type": "text/plain" }).end("unknown person");
        return;
      }
      const request = await idp.parseLoginRequest(serviceProvider, "redirect", { query });
      const inResponseTo = String((request.extract as { request?: { id?: string } }).request?.id ?? "");
      // InResponseTo and every other value is filled in by loginResponse below.
      const response = await idp.createLoginResponse(
        serviceProvider,
        { extract: request.extract },
        "post",
        { ...person },
        {
          relayState: query.RelayState ?? "",
          customTagReplacement: (template) =>
            loginResponse(template, { idpEntityId: entityId, sp, inResponseTo, person }),
        },
      );
      res
        .writeHead(200, { "content-type": "text/html; charset=utf-8" })
        .end(postForm(sp.acsUrl, { SAMLResponse: response.context, RelayState: query.RelayState ?? "" }));
      return;
    }
    res.writeHead(404).end();
  }

  return {
    url,
    entityId,
    metadataXml: idp.getMetadata(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The Response XML (signed by samlify afterwards), with one attribute value per group. */
function loginResponse(
  template: string,
  input: { idpEntityId: string; sp: SamlServiceProviderInfo; inResponseTo: string; person: SamlIdpPerson },
): { id: string; context: string } {
  const id = `_${crypto.randomUUID()}`;
  const now = new Date();
  const later = new Date(now.getTime() + 5 * 60_000).toISOString();
  const { person } = input;
  const attribute = (name: string, values: string[]) =>
    `<saml:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic">${values
      .map((v) => `<saml:AttributeValue xsi:type="xs:string">${escapeXml(v)}</saml:AttributeValue>`)
      .join("")}</saml:Attribute>`;
  const attributes = `<saml:AttributeStatement>${[
    attribute("email", [person.email]),
    attribute("name", [person.name]),
    ...(person.groups.length > 0 ? [attribute("groups", person.groups)] : []),
  ].join("")}</saml:AttributeStatement>`;
  const authn = `<saml:AuthnStatement AuthnInstant="${now.toISOString()}" SessionIndex="${id}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`;
  const withStatements = template.replace("{AuthnStatement}", authn).replace("{AttributeStatement}", attributes);
  const context = fillTags(withStatements, {
    ID: id,
    AssertionID: `_${crypto.randomUUID()}`,
    Destination: input.sp.acsUrl,
    Audience: input.sp.entityId,
    SubjectRecipient: input.sp.acsUrl,
    Issuer: input.idpEntityId,
    IssueInstant: now.toISOString(),
    StatusCode: samlify.Constants.StatusCode.Success,
    ConditionsNotBefore: now.toISOString(),
    ConditionsNotOnOrAfter: later,
    SubjectConfirmationDataNotOnOrAfter: later,
    NameIDFormat: EMAIL_NAME_ID,
    NameID: person.email,
    InResponseTo: input.inResponseTo,
  });
  return { id, context };
}

/** samlify's `{Tag}` placeholders, filled with XML-escaped values. */
function fillTags(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (tag, name: string) => (name in values ? escapeXml(values[name]!) : tag));
}

function loginPage(search: string): string {
  return `<!doctype html><html><head><title>Test IdP sign-in</title></head><body>
<h1>Test IdP</h1>
<form method="post" action="/login${escapeXml(search)}">
  <label>Email <input name="email" type="email" autocomplete="off"></label>
  <button type="submit">Sign in</button>
</form></body></html>`;
}

/** The HTTP-POST binding: a form the browser submits to the ACS on its own. */
function postForm(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeXml(value)}">`)
    .join("");
  return `<!doctype html><html><head><title>Signing in…</title></head><body onload="document.forms[0].submit()">
<form method="post" action="${escapeXml(action)}">${inputs}<noscript><button type="submit">Continue</button></noscript></form>
</body></html>`;
}

function makeSigningKey(): { privateKey: string; certificate: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "devflow-saml-idp-"));
  try {
    const keyFile = path.join(dir, "key.pem");
    const certFile = path.join(dir, "cert.pem");
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2", "-subj", "/CN=devflow-e2e-idp"].concat(
        ["-keyout", keyFile, "-out", certFile],
      ),
      { stdio: "ignore" },
    );
    return { privateKey: readFileSync(keyFile, "utf8"), certificate: readFileSync(certFile, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function escapeXml(value: string): string {
  return value.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
