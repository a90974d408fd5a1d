import { createHash, randomBytes } from "node:crypto";
import type { RequestContext } from "@devflow/auth";
import type { OAuthScope, OAuthTokenResponse } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createApiTokensService } from "@devflow/domain-api-tokens";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createOAuthService } from "./oauth.service";

const MCP = "http://localhost:3002/mcp";
const OTHER_RESOURCE = "https://elsewhere.example.com/mcp";
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let t: TestDatabase;
let oauth: ReturnType<typeof createOAuthService>;
let apiTokens: ReturnType<typeof createApiTokensService>;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let clock: Date;

beforeAll(async () => {
  t = await createTestDatabase();
  oauth = createOAuthService(t.db, { resources: [MCP], now: () => clock });
  apiTokens = createApiTokensService(t.db, { now: () => clock });
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
});
beforeEach(() => {
  clock = new Date();
});
afterAll(async () => {
  await t?.drop();
});

const advance = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};

function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

async function registerClient(name = "Claude Code") {
  return oauth.registration.register({ client_name: name, redirect_uris: ["http://127.0.0.1:33418/callback"] });
}

interface Authorized {
  clientId: string;
  code: string;
  verifier: string;
  redirectUri: string;
  scopes: OAuthScope[];
}

/** Registers a client and has `ctx`'s person approve it, as the consent screen would. */
async function authorize(
  ctx: RequestContext,
  { scope, chosen = ["read", "write"] }: { scope?: string; chosen?: OAuthScope[] } = {},
): Promise<Authorized> {
  const client = await registerClient();
  const { verifier, challenge } = pkcePair();
  const redirectUri = "http://127.0.0.1:50123/callback";
  const check = await oauth.authorization.check({
    response_type: "code",
    client_id: client.client_id,
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "xyz",
    resource: MCP,
    ...(scope !== undefined && { scope }),
  });
  if (!check.ok) throw new Error(`authorization request refused: ${check.description}`);
  const { code, scopes } = await oauth.authorization.approve(ctx, check.request, chosen);
  return { clientId: client.client_id, code, verifier, redirectUri, scopes };
}

function exchange(
  a: Authorized,
  overrides: Partial<{
    codeVerifier: string;
    redirectUri: string;
    clientId: string;
    code: string;
    resource: string;
  }> = {},
) {
  return oauth.tokens.exchangeCode({
    clientId: a.clientId,
    code: a.code,
    redirectUri: a.redirectUri,
    codeVerifier: a.verifier,
    resource: MCP,
    ...overrides,
  });
}

function refresh(clientId: string, tokens: OAuthTokenResponse, extra: { scope?: string; resource?: string } = {}) {
  return oauth.tokens.refresh({ clientId, refreshToken: tokens.refresh_token, ...extra });
}

function auditOf(ctx: RequestContext, grantId: string) {
  return t.db.withTenant(ctx, (tx) =>
    tx.auditLog.findMany({ where: { targetType: "oauth_grant", targetId: grantId }, orderBy: { createdAt: "asc" } }),
  );
}

describe("registering a client", () => {
  it("registers a public client with a random id and the server's own choices", async () => {
    const first = await oauth.registration.register({
      client_name: "Inspector",
      redirect_uris: ["http://localhost:6274/oauth/callback", "https://app.example.com/cb"],
      token_endpoint_auth_method: "client_secret_post",
      grant_types: ["authorization_code", "refresh_token"],
    });
    expect(first).toMatchObject({
      client_name: "Inspector",
      token_endpoint_auth_method: "none",
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
    });
    expect(first).not.toHaveProperty("client_secret");
    const second = await registerClient("Inspector");
    expect(second.client_id).not.toBe(first.client_id);
    expect(first.client_id).toMatch(/^dfcl_[A-Za-z0-9_-]{24}$/);
  });

  it("refuses redirect URIs that are not https or loopback http, and grants it does not support", async () => {
    await expect(oauth.registration.register({ redirect_uris: ["http://evil.example.com/cb"] })).rejects.toMatchObject({
      error: "invalid_redirect_uri",
    });
    await expect(
      oauth.registration.register({ redirect_uris: ["https://a.example/cb"], grant_types: ["implicit"] }),
    ).rejects.toMatchObject({ error: "invalid_client_metadata" });
    await expect(
      oauth.registration.register({ redirect_uris: ["https://a.example/cb"], client_name: "Claude\u202Eedoc" }),
    ).rejects.toMatchObject({ error: "invalid_client_metadata" });
  });

  it("names a nameless client after where its codes go", async () => {
    const client = await oauth.registration.register({ redirect_uris: ["https://tools.example.com/cb"] });
    expect(client.client_name).toBe("App at tools.example.com");
  });
});

describe("checking an authorization request", () => {
  it("shows, never redirects, errors about the client or its redirect URI", async () => {
    const client = await registerClient();
    expect(await oauth.authorization.check({ client_id: "dfcl_unknown" })).toMatchObject({
      ok: false,
      kind: "show",
      error: "invalid_client",
    });
    expect(
      await oauth.authorization.check({ client_id: client.client_id, redirect_uri: "https://attacker.example/cb" }),
    ).toMatchObject({ ok: false, kind: "show" });
  });

  it("sends other errors back to the client: PKCE missing or plain, unknown scope, foreign resource", async () => {
    const client = await registerClient();
    const base = {
      client_id: client.client_id,
      redirect_uri: "http://127.0.0.1:33418/callback",
      response_type: "code",
      state: "s1",
      code_challenge: pkcePair().challenge,
      code_challenge_method: "S256",
    };
    const refused = (error: string) => ({ ok: false, kind: "redirect", error, state: "s1" });
    expect(await oauth.authorization.check({ ...base, code_challenge: undefined })).toMatchObject(
      refused("invalid_request"),
    );
    expect(await oauth.authorization.check({ ...base, code_challenge_method: "plain" })).toMatchObject(
      refused("invalid_request"),
    );
    expect(await oauth.authorization.check({ ...base, response_type: "token" })).toMatchObject(
      refused("unsupported_response_type"),
    );
    expect(await oauth.authorization.check({ ...base, scope: "read admin" })).toMatchObject(refused("invalid_scope"));
    expect(await oauth.authorization.check({ ...base, resource: OTHER_RESOURCE })).toMatchObject(
      refused("invalid_target"),
    );
    const ok = await oauth.authorization.check({ ...base, resource: "HTTP://LOCALHOST:3002/mcp/" });
    expect(ok).toMatchObject({ ok: true, request: { resource: MCP, requestedScopes: ["read", "write"] } });
    expect(await oauth.authorization.check(base)).toMatchObject({ ok: true, request: { resource: MCP } });
  });
});

describe("the authorization code flow", () => {
  it("issues an access token that works as the person, within the granted scopes, for the MCP resource", async () => {
    const member = await acme.addMember("member");
    const authorized = await authorize(member);
    const tokens = await exchange(authorized);
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "read write" });
    expect(tokens.access_token).toMatch(/^dfp_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    expect(tokens.refresh_token).toMatch(/^dfr_[0-9a-f]{32}_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);

    const viaMcp = await apiTokens.authenticate(tokens.access_token, "r1", { resource: MCP });
    expect(viaMcp).toMatchObject({
      organizationId: acme.organization.id,
      actor: { userId: member.actor.userId, role: "member", via: { kind: "api_token", scopes: ["read", "write"] } },
    });
    expect(await apiTokens.authenticate(tokens.access_token, "r2")).not.toBeNull();
    expect(await apiTokens.authenticate(tokens.access_token, "r3", { resource: OTHER_RESOURCE })).toBeNull();

    // Not a personal token: settings list it under connected apps, not API tokens.
    expect((await apiTokens.list(member, { limit: 10 })).items).toEqual([]);
    const apps = await oauth.connectedApps.list(member);
    expect(apps).toHaveLength(1);
    expect(apps[0]).toMatchObject({ clientName: "Claude Code", scopes: ["read", "write"], resource: MCP });
    expect(apps[0]!.redirectHosts).toEqual(["127.0.0.1"]);
    const [created] = await auditOf(member, apps[0]!.id);
    expect(created).toMatchObject({ action: "oauth.grant_created", actorUserId: member.actor.userId });

    advance(60 * MINUTE);
    expect(await apiTokens.authenticate(tokens.access_token, "r4")).toBeNull();
  });

  it("refuses a code_verifier that does not match, without burning the code", async () => {
    const authorized = await authorize(await acme.addMember("member"));
    await expect(exchange(authorized, { codeVerifier: pkcePair().verifier })).rejects.toMatchObject({
      error: "invalid_grant",
      description: expect.stringMatching(/code_verifier/),
    });
    await expect(exchange(authorized, { redirectUri: "http://127.0.0.1:1/callback" })).rejects.toMatchObject({
      error: "invalid_grant",
    });
    await expect(exchange(authorized)).resolves.toMatchObject({ token_type: "Bearer" });
  });

  it("revokes everything the grant produced when a code is used twice", async () => {
    const member = await acme.addMember("member");
    const authorized = await authorize(member);
    const tokens = await exchange(authorized);
    await expect(exchange(authorized)).rejects.toMatchObject({ error: "invalid_grant" });
    expect(await apiTokens.authenticate(tokens.access_token, "r")).toBeNull();
    await expect(refresh(authorized.clientId, tokens)).rejects.toMatchObject({ error: "invalid_grant" });
    expect(await oauth.connectedApps.list(member)).toEqual([]);
  });

  it("lets only one of two simultaneous redemptions of a code through", async () => {
    const authorized = await authorize(await acme.addMember("member"));
    const results = await Promise.allSettled([exchange(authorized), exchange(authorized)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("refuses a code after its 10 minutes", async () => {
    const authorized = await authorize(await acme.addMember("member"));
    advance(10 * MINUTE);
    await expect(exchange(authorized)).rejects.toMatchObject({ error: "invalid_grant", description: /expired/ });
  });

  it("refuses a code sent by another client, or for another resource", async () => {
    const authorized = await authorize(await acme.addMember("member"));
    const other = await registerClient("Other");
    await expect(exchange(authorized, { clientId: other.client_id })).rejects.toMatchObject({ error: "invalid_grant" });
    await expect(exchange(authorized, { resource: OTHER_RESOURCE })).rejects.toMatchObject({ error: "invalid_target" });
    await expect(exchange(authorized)).resolves.toBeDefined();
  });

  it("gives a viewer read only, whatever they tick", async () => {
    const viewer = await acme.addMember("viewer");
    const authorized = await authorize(viewer, { chosen: ["read", "write"] });
    expect(authorized.scopes).toEqual(["read"]);
    const tokens = await exchange(authorized);
    expect(tokens.scope).toBe("read");
    expect((await apiTokens.authenticate(tokens.access_token, "r"))?.actor.via).toMatchObject({ scopes: ["read"] });
  });

  it("grants only the scopes both asked for and ticked", async () => {
    const member = await acme.addMember("member");
    expect((await authorize(member, { chosen: ["read"] })).scopes).toEqual(["read"]);
    expect((await authorize(member, { scope: "read", chosen: ["read", "write"] })).scopes).toEqual(["read"]);
  });

  it("issues nothing for someone who is no longer an active member", async () => {
    const member = await acme.addMember("member");
    const authorized = await authorize(member);
    await t.db.withTenant(acme.ctx, (tx) =>
      tx.membership.updateMany({ where: { userId: member.actor.userId }, data: { status: "deactivated" } }),
    );
    await expect(exchange(authorized)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("cannot be approved with an API token", async () => {
    const token = await apiTokens.create(acme.ctx, {
      name: "t",
      scopes: ["read", "write", "admin"],
      expiresInDays: null,
    });
    const viaToken = (await apiTokens.authenticate(token.token, "r"))!;
    const client = await registerClient();
    const check = await oauth.authorization.check({
      client_id: client.client_id,
      response_type: "code",
      code_challenge: pkcePair().challenge,
      code_challenge_method: "S256",
    });
    if (!check.ok) throw new Error(check.description);
    await expect(oauth.authorization.approve(viaToken, check.request, ["read"])).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});

describe("refreshing", () => {
  it("rotates the refresh token, and a replayed old one revokes the grant and its tokens", async () => {
    const member = await acme.addMember("member");
    const authorized = await authorize(member);
    const first = await exchange(authorized);
    const second = await refresh(authorized.clientId, first);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(await apiTokens.authenticate(second.access_token, "r", { resource: MCP })).not.toBeNull();
    const third = await refresh(authorized.clientId, second);

    await expect(refresh(authorized.clientId, first)).rejects.toMatchObject({ error: "invalid_grant" });
    expect(await apiTokens.authenticate(third.access_token, "r")).toBeNull();
    await expect(refresh(authorized.clientId, third)).rejects.toMatchObject({ error: "invalid_grant" });
    const entries = await auditOf(member, await newestGrantIdOf(member));
    expect(entries.map((e) => e.action)).toEqual(["oauth.grant_created", "oauth.grant_revoked"]);
    expect(entries[1]).toMatchObject({ actorType: "system", metadata: { reason: "refresh_token_reused" } });
  });

  it("keeps a grant alive while it is used within 30 days, and ends it after 30 idle days", async () => {
    const authorized = await authorize(await acme.addMember("member"));
    let tokens = await exchange(authorized);
    advance(29 * DAY);
    tokens = await refresh(authorized.clientId, tokens);
    advance(29 * DAY);
    tokens = await refresh(authorized.clientId, tokens);
    advance(30 * DAY);
    await expect(refresh(authorized.clientId, tokens)).rejects.toMatchObject({
      error: "invalid_grant",
      description: /expired/,
    });
  });

  it("may narrow the scopes but not widen them, and stays on its resource", async () => {
    const viewerLater = await acme.addMember("member");
    const authorized = await authorize(viewerLater, { chosen: ["read"] });
    const tokens = await exchange(authorized);
    await expect(refresh(authorized.clientId, tokens, { scope: "read write" })).rejects.toMatchObject({
      error: "invalid_scope",
    });
    await expect(refresh(authorized.clientId, tokens, { resource: OTHER_RESOURCE })).rejects.toMatchObject({
      error: "invalid_target",
    });
    const narrowed = await refresh(authorized.clientId, tokens, { scope: "read" });
    expect(narrowed.scope).toBe("read");
  });

  it("follows the person's role: a member demoted to viewer gets read-only tokens", async () => {
    const member = await acme.addMember("member");
    const authorized = await authorize(member);
    const tokens = await exchange(authorized);
    await t.db.withTenant(acme.ctx, (tx) =>
      tx.membership.updateMany({ where: { userId: member.actor.userId }, data: { role: "viewer" } }),
    );
    expect((await refresh(authorized.clientId, tokens)).scope).toBe("read");
  });

  it("refuses a refresh token sent by another client without revoking anything", async () => {
    const authorized = await authorize(await acme.addMember("member"));
    const tokens = await exchange(authorized);
    await expect(refresh("dfcl_someone_else", tokens)).rejects.toMatchObject({ error: "invalid_grant" });
    await expect(refresh(authorized.clientId, tokens)).resolves.toBeDefined();
  });
});

describe("revoking", () => {
  it("lets a person revoke a connected app, which ends its tokens at once", async () => {
    const member = await acme.addMember("member");
    const bystander = await acme.addMember("admin");
    const authorized = await authorize(member);
    const tokens = await exchange(authorized);
    const [app] = await oauth.connectedApps.list(member);
    await expect(oauth.connectedApps.revoke(bystander, app!.id)).rejects.toMatchObject({ code: "not_found" });
    await oauth.connectedApps.revoke(member, app!.id);
    await oauth.connectedApps.revoke(member, app!.id);
    expect(await apiTokens.authenticate(tokens.access_token, "r")).toBeNull();
    await expect(refresh(authorized.clientId, tokens)).rejects.toMatchObject({ error: "invalid_grant" });
    expect(await oauth.connectedApps.list(member)).toEqual([]);
    const entries = await auditOf(member, app!.id);
    expect(entries.map((e) => e.action)).toEqual(["oauth.grant_created", "oauth.grant_revoked"]);
    expect(entries[1]).toMatchObject({ actorUserId: member.actor.userId, metadata: { reason: "revoked_by_user" } });
  });

  it("follows RFC 7009: a refresh token ends the grant, an access token only itself, others' tokens nothing", async () => {
    const authorized = await authorize(await acme.addMember("member"));
    const first = await exchange(authorized);
    const second = await refresh(authorized.clientId, first);
    await oauth.tokens.revoke({ token: second.access_token, client_id: "dfcl_someone_else" });
    expect(await apiTokens.authenticate(second.access_token, "r")).not.toBeNull();
    await oauth.tokens.revoke({ token: second.access_token, client_id: authorized.clientId });
    expect(await apiTokens.authenticate(second.access_token, "r")).toBeNull();
    const third = await refresh(authorized.clientId, second);
    await oauth.tokens.revoke({ token: third.refresh_token, client_id: authorized.clientId });
    expect(await apiTokens.authenticate(third.access_token, "r")).toBeNull();
    await oauth.tokens.revoke({ token: "not a token", client_id: authorized.clientId });
  });

  it("never revokes personal tokens through the OAuth endpoint", async () => {
    const personal = await apiTokens.create(acme.ctx, { name: "mine", scopes: ["read"], expiresInDays: null });
    await oauth.tokens.revoke({ token: personal.token, client_id: "dfcl_any" });
    expect(await apiTokens.authenticate(personal.token, "r", { resource: MCP })).not.toBeNull();
  });
});

describe("tenant isolation", () => {
  const acmeHex = () => acme.organization.id.replaceAll("-", "");
  const globexHex = () => globex.organization.id.replaceAll("-", "");

  it("cannot redeem a code of one organization into another", async () => {
    const authorized = await authorize(await acme.addMember("member"));
    const forged = authorized.code.replace(acmeHex(), globexHex());
    await expect(exchange(authorized, { code: forged })).rejects.toMatchObject({ error: "invalid_grant" });
    await expect(exchange(authorized)).resolves.toBeDefined();
  });

  it("cannot refresh or revoke a grant through another organization, and does not revoke it trying", async () => {
    const authorized = await authorize(await acme.addMember("member"));
    const tokens = await exchange(authorized);
    const forged = { ...tokens, refresh_token: tokens.refresh_token.replace(acmeHex(), globexHex()) };
    await expect(refresh(authorized.clientId, forged)).rejects.toMatchObject({ error: "invalid_grant" });
    await oauth.tokens.revoke({ token: forged.refresh_token, client_id: authorized.clientId });
    await expect(refresh(authorized.clientId, tokens)).resolves.toBeDefined();
  });

  it("does not return rows from another tenant", async () => {
    const member = await acme.addMember("member");
    await exchange(await authorize(member));
    const [app] = await oauth.connectedApps.list(member);
    // The same person, acting in another organization, sees and reaches none of the first one's grants.
    const sameUserElsewhere = { ...globex.ctx, actor: member.actor };
    expect(await oauth.connectedApps.list(sameUserElsewhere)).toEqual([]);
    await expect(oauth.connectedApps.revoke(sameUserElsewhere, app!.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(oauth.connectedApps.revoke(globex.ctx, app!.id)).rejects.toMatchObject({ code: "not_found" });
    expect(await oauth.connectedApps.list(member)).toHaveLength(1);
  });
});

/** The id of the newest grant the person holds, revoked or not. */
async function newestGrantIdOf(ctx: RequestContext): Promise<string> {
  const grants = await t.db.withTenant(ctx, (tx) =>
    tx.oAuthGrant.findMany({ where: { userId: ctx.actor.userId }, orderBy: { createdAt: "desc" }, take: 1 }),
  );
  return grants[0]!.id;
}
