import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  AuthorizationServerMetadataSchema,
  OAuthClientRegistrationResponseSchema,
  OAuthTokenResponseSchema,
  type OAuthTokenResponse,
} from "@devflow/contracts";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { bearerApi, newRequestContext } from "../support/access";
import { ADA, DEMO_CO, GUILD, signIn, unique } from "../support/devflow";
import { E2E_PORTS, WEB_URL } from "../support/ports";

/**
 * DevFlow as the OAuth authorization server of MCP clients: a client registers itself (RFC 7591),
 * sends a person to the consent page, receives the code on its loopback listener (RFC 8252), trades
 * it with its PKCE verifier for tokens, and calls the API with the access token.
 */

const MCP_RESOURCE = `http://localhost:${E2E_PORTS.ai}/mcp`;

/** A native app's redirect listener on 127.0.0.1: resolves with each callback URL it receives. */
class LoopbackListener {
  private server: Server | null = null;
  private waiting: ((url: URL) => void) | null = null;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      res.writeHead(200, { "content-type": "text/plain" }).end("You can close this tab.");
      this.waiting?.(new URL(req.url ?? "/", this.redirectUri));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return this.redirectUri;
  }

  get redirectUri(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/callback`;
  }

  /** The next callback; arm it before the browser is sent there. */
  next(): Promise<URL> {
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

let listener: LoopbackListener;
let client: APIRequestContext;

test.beforeEach(async ({ playwright }) => {
  listener = new LoopbackListener();
  await listener.start();
  client = await newRequestContext(playwright.request);
});
test.afterEach(async () => {
  await client.dispose();
  await listener.stop();
});

async function registerClient(name: string) {
  const response = await client.post("/oauth/register", {
    data: { client_name: name, redirect_uris: [listener.redirectUri], token_endpoint_auth_method: "none" },
  });
  expect(response.status(), await response.text()).toBe(201);
  return OAuthClientRegistrationResponseSchema.parse(await response.json());
}

function authorizeUrl(clientId: string, challenge: string, state: string): string {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: listener.redirectUri,
    code_challenge: challenge,
    code_challenge_method: "S256",
    scope: "read write",
    state,
    resource: MCP_RESOURCE,
  });
  return `/oauth/authorize?${query}`;
}

async function postToken(form: Record<string, string>) {
  const response = await client.post("/oauth/token", { form });
  return { response, body: (await response.json()) as unknown };
}

/** Approves on the consent page in `organizationName` and returns the callback the app received. */
async function approve(page: Page, organizationName: string): Promise<URL> {
  await page.getByTestId("consent-organization").selectOption({ label: organizationName });
  const callback = listener.next();
  await page.getByTestId("consent-approve").click();
  return callback;
}

test("an MCP client registers, is approved by a signed-in person, and calls the API with its token", async ({
  page,
  playwright,
}) => {
  // Sign-in, consent, two token calls, the API and the settings page: many round trips for 30 s.
  test.setTimeout(90_000);
  const metadata = await client.get("/.well-known/oauth-authorization-server");
  expect(metadata.status()).toBe(200);
  expect(metadata.headers()["access-control-allow-origin"]).toBe("*");
  const server = AuthorizationServerMetadataSchema.parse(await metadata.json());
  expect(server).toMatchObject({ issuer: WEB_URL, code_challenge_methods_supported: ["S256"] });

  const appName = unique("E2E MCP client");
  const registered = await registerClient(appName);
  const { verifier, challenge } = pkcePair();
  const url = authorizeUrl(registered.client_id, challenge, "state-1");

  // Not signed in: through sign-in, which comes back to the consent page.
  await page.goto(url);
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  const next = new URL(page.url()).searchParams.get("next")!;
  const paramsOf = (path: string) => Object.fromEntries(new URL(path, WEB_URL).searchParams);
  expect(new URL(next, WEB_URL).pathname).toBe("/oauth/authorize");
  expect(paramsOf(next)).toEqual(paramsOf(url));
  await signIn(page.request, ADA.email);
  await page.goto(next);

  const consent = page.getByTestId("oauth-consent");
  await expect(consent.getByTestId("consent-client-name")).toHaveText(appName);
  await expect(consent.getByTestId("consent-redirect-host")).toHaveText("127.0.0.1");
  await page.getByTestId("consent-organization").selectOption({ label: DEMO_CO.name });
  await expect(page.getByTestId("consent-scope-write")).toBeChecked();
  const callback = await approve(page, DEMO_CO.name);
  expect(callback.searchParams.get("state")).toBe("state-1");
  expect(callback.searchParams.get("iss")).toBe(WEB_URL);
  const code = callback.searchParams.get("code")!;
  expect(code).toMatch(/^dfc_/);

  const exchange = {
    grant_type: "authorization_code",
    code,
    redirect_uri: listener.redirectUri,
    client_id: registered.client_id,
  };
  const wrongVerifier = await postToken({ ...exchange, code_verifier: pkcePair().verifier });
  expect(wrongVerifier.response.status()).toBe(400);
  expect(wrongVerifier.body).toMatchObject({ error: "invalid_grant" });

  const { response, body } = await postToken({ ...exchange, code_verifier: verifier, resource: MCP_RESOURCE });
  expect(response.status(), JSON.stringify(body)).toBe(200);
  expect(response.headers()["cache-control"]).toBe("no-store");
  const tokens: OAuthTokenResponse = OAuthTokenResponseSchema.parse(body);
  expect(tokens.scope).toBe("read write");

  const { api, context } = await bearerApi(playwright.request, tokens.access_token);
  const projects = await api.call("GET", "/projects");
  expect(projects.status).toBe(200);

  // Refresh rotates; the old refresh token replayed ends the grant.
  const refreshed = await postToken({
    grant_type: "refresh_token",
    refresh_token: tokens.refresh_token,
    client_id: registered.client_id,
  });
  expect(refreshed.response.status()).toBe(200);
  const rotated = OAuthTokenResponseSchema.parse(refreshed.body);
  expect(rotated.refresh_token).not.toBe(tokens.refresh_token);

  // Settings lists the app; disconnecting it stops its tokens at once.
  await page.goto(`/${DEMO_CO.slug}/settings/connected-apps`);
  const row = page.getByTestId("connected-app-row").filter({ hasText: appName });
  await expect(row).toContainText("Read and write");
  await row.getByTestId("disconnect-app").click();
  await page.getByRole("button", { name: "Disconnect", exact: true }).click();
  await expect(row).toBeHidden();
  expect((await api.call("GET", "/projects")).status).toBe(401);
  await context.dispose();
});

test("a viewer's approval grants read only, and Deny sends access_denied back to the app", async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page.request, ADA.email);
  const registered = await registerClient("E2E viewer client");

  const first = pkcePair();
  await page.goto(authorizeUrl(registered.client_id, first.challenge, "state-viewer"));
  await page.getByTestId("consent-organization").selectOption({ label: GUILD.name });
  await expect(page.getByTestId("consent-scope-write")).toBeDisabled();
  const callback = await approve(page, GUILD.name);
  const { body } = await postToken({
    grant_type: "authorization_code",
    code: callback.searchParams.get("code")!,
    redirect_uri: listener.redirectUri,
    client_id: registered.client_id,
    code_verifier: first.verifier,
  });
  expect(OAuthTokenResponseSchema.parse(body).scope).toBe("read");

  const second = pkcePair();
  await page.goto(authorizeUrl(registered.client_id, second.challenge, "state-deny"));
  const denied = listener.next();
  await page.getByTestId("consent-deny").click();
  const answer = await denied;
  expect(answer.searchParams.get("error")).toBe("access_denied");
  expect(answer.searchParams.get("state")).toBe("state-deny");
  expect(answer.searchParams.get("code")).toBeNull();
});

test("a redirect URI the client did not register is refused on the page, never followed", async ({ page }) => {
  await signIn(page.request, ADA.email);
  const registered = await registerClient("E2E strict client");
  const url = authorizeUrl(registered.client_id, pkcePair().challenge, "s").replace(
    encodeURIComponent(listener.redirectUri),
    encodeURIComponent("https://attacker.example/callback"),
  );
  await page.goto(url);
  await expect(page.getByTestId("oauth-error")).toBeVisible();
  expect(new URL(page.url()).host).toBe(new URL(WEB_URL).host);

  const refused = await client.post("/oauth/register", { data: { redirect_uris: ["http://attacker.example/cb"] } });
  expect(refused.status()).toBe(400);
  expect(await refused.json()).toMatchObject({ error: "invalid_redirect_uri" });
});
