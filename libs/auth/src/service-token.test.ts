import { createPrivateKey, generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AppError } from "@devflow/util-core";
import { SignJWT, type JSONWebKeySet } from "jose";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createServiceTokenSigner,
  createServiceTokenVerifier,
  generateServiceTokenKeyPair,
  SERVICE_TOKEN_ISSUER,
  type ServiceTokenClaims,
  type ServiceTokenSigner,
} from "./service-token";

const claims: ServiceTokenClaims = { userId: randomUUID(), organizationId: randomUUID(), role: "member" };

async function newSigner(): Promise<ServiceTokenSigner> {
  const { privateKeyPem } = await generateServiceTokenKeyPair();
  return createServiceTokenSigner({ privateKeyPem, issuer: SERVICE_TOKEN_ISSUER });
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** Resolves with the AppError a promise rejects with. */
async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

let signer: ServiceTokenSigner;
beforeAll(async () => {
  signer = await newSigner();
});

function localVerifier(jwks: JSONWebKeySet = signer.publicJwks()) {
  return createServiceTokenVerifier({ jwks, issuer: SERVICE_TOKEN_ISSUER });
}

describe("service tokens", () => {
  it("round-trips user, organization and role for the audience they were minted for", async () => {
    const now = new Date();
    const { token, expiresAt } = await signer.sign(claims, { audience: "devflow-collab", now });
    expect(expiresAt.getTime()).toBe(Math.floor(now.getTime() / 1000) * 1000 + 5 * 60 * 1000);

    const principal = await localVerifier().verify(token, "devflow-collab");
    expect(principal).toEqual({ ...claims, audience: "devflow-collab", expiresAt });
  });

  it("carries the agent acting for the user, and refuses one that is too long", async () => {
    const { token, expiresAt } = await signer.sign(
      { ...claims, agent: "Claude via MCP" },
      { audience: "devflow-collab" },
    );
    expect(await localVerifier().verify(token, "devflow-collab")).toEqual({
      ...claims,
      agent: "Claude via MCP",
      audience: "devflow-collab",
      expiresAt,
    });
    await expect(signer.sign({ ...claims, agent: "x".repeat(61) }, { audience: "devflow-collab" })).rejects.toThrow();
  });

  it("publishes only the public key, named by its RFC 7638 thumbprint", () => {
    const [key, ...others] = signer.publicJwks().keys;
    expect(others).toEqual([]);
    expect(key).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig", kid: signer.kid });
    expect(key).not.toHaveProperty("d");
    expect(signer.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("rejects a token whose payload was changed after signing", async () => {
    const { token } = await signer.sign(claims, { audience: "devflow-ai" });
    const [header, , signature] = token.split(".");
    const payload = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    const tampered = `${header}.${base64url({ ...payload, role: "owner" })}.${signature}`;

    const error = await rejection(localVerifier().verify(tampered, "devflow-ai"));
    expect(error).toMatchObject({ code: "unauthenticated", message: "Service token signature is not valid" });
  });

  it("rejects a token signed by another key, even one claiming the published kid", async () => {
    const other = await generateServiceTokenKeyPair();
    const impostor = await createServiceTokenSigner({
      privateKeyPem: other.privateKeyPem,
      issuer: SERVICE_TOKEN_ISSUER,
    });
    const { token } = await impostor.sign(claims, { audience: "devflow-ai" });
    const [, payload, signature] = token.split(".");
    const forgedKid = `${base64url({ alg: "ES256", typ: "JWT", kid: signer.kid })}.${payload}.${signature}`;

    expect(await rejection(localVerifier().verify(token, "devflow-ai"))).toMatchObject({
      code: "unauthenticated",
      message: "Service token was signed with a key the issuer does not publish",
    });
    expect(await rejection(localVerifier().verify(forgedKid, "devflow-ai"))).toMatchObject({
      code: "unauthenticated",
      message: "Service token signature is not valid",
    });
  });

  it("rejects a token meant for another service", async () => {
    const { token } = await signer.sign(claims, { audience: "devflow-ai" });
    expect(await rejection(localVerifier().verify(token, "devflow-worker"))).toMatchObject({
      code: "unauthenticated",
      message: "Service token is not meant for devflow-worker",
    });
  });

  it("rejects a token from another issuer", async () => {
    const { privateKeyPem } = await generateServiceTokenKeyPair();
    const stranger = await createServiceTokenSigner({ privateKeyPem, issuer: "somewhere-else" });
    const { token } = await stranger.sign(claims, { audience: "devflow-ai" });
    const error = await rejection(localVerifier(stranger.publicJwks()).verify(token, "devflow-ai"));
    expect(error.message).toBe("Service token was not issued by devflow-web");
  });

  it("rejects an expired token, allowing 30 seconds of clock skew", async () => {
    const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);
    const skewed = await signer.sign(claims, { audience: "devflow-ai", ttlSeconds: 60, now: ago(80) });
    await expect(localVerifier().verify(skewed.token, "devflow-ai")).resolves.toMatchObject(claims);

    const expired = await signer.sign(claims, { audience: "devflow-ai", ttlSeconds: 60, now: ago(100) });
    expect(await rejection(localVerifier().verify(expired.token, "devflow-ai"))).toMatchObject({
      code: "unauthenticated",
      message: "Service token has expired; ask the web app for a new one",
    });
  });

  it("rejects unsigned (alg none) and HS256 tokens, including one keyed with the public key", async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = { sub: claims.userId, org: claims.organizationId, role: "owner", aud: "devflow-ai" };
    const unsigned = `${base64url({ alg: "none", typ: "JWT" })}.${base64url({ ...payload, iss: SERVICE_TOKEN_ISSUER, iat: now, exp: now + 60 })}.`;
    const publicX = signer.publicJwks().keys[0]!.x!;
    const hs256 = await new SignJWT(payload)
      .setProtectedHeader({ alg: "HS256", kid: signer.kid })
      .setIssuer(SERVICE_TOKEN_ISSUER)
      .setIssuedAt()
      .setExpirationTime("1m")
      .sign(new TextEncoder().encode(publicX));

    for (const token of [unsigned, hs256]) {
      expect(await rejection(localVerifier().verify(token, "devflow-ai"))).toMatchObject({
        code: "unauthenticated",
        message: "Service token must be signed with ES256",
      });
    }
  });

  it("rejects a token without an organization or role, and garbage", async () => {
    const { privateKeyPem } = await generateServiceTokenKeyPair();
    const key = createPrivateKey(privateKeyPem);
    const raw = await createServiceTokenSigner({ privateKeyPem, issuer: SERVICE_TOKEN_ISSUER });
    const token = await new SignJWT({ role: "member" })
      .setProtectedHeader({ alg: "ES256", kid: raw.kid })
      .setIssuer(SERVICE_TOKEN_ISSUER)
      .setSubject(claims.userId)
      .setAudience("devflow-ai")
      .setIssuedAt()
      .setExpirationTime("1m")
      .sign(key);

    expect(await rejection(localVerifier(raw.publicJwks()).verify(token, "devflow-ai"))).toMatchObject({
      message: 'Service token is missing the "org" claim',
    });
    expect(await rejection(localVerifier().verify("not-a-token", "devflow-ai"))).toMatchObject({
      code: "unauthenticated",
      message: "Service token is malformed",
    });
  });

  it("refuses to mint tokens that live longer than 15 minutes or name no valid user", async () => {
    await expect(signer.sign(claims, { audience: "devflow-ai", ttlSeconds: 15 * 60 + 1 })).rejects.toThrow(RangeError);
    await expect(signer.sign({ ...claims, userId: "someone" }, { audience: "devflow-ai" })).rejects.toThrow();
  });

  it("refuses a private key that is not P-256", async () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "secp384r1" });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    await expect(createServiceTokenSigner({ privateKeyPem: pem, issuer: SERVICE_TOKEN_ISSUER })).rejects.toThrow(
      /must be an EC P-256 key/,
    );
    await expect(createServiceTokenSigner({ privateKeyPem: "nope", issuer: SERVICE_TOKEN_ISSUER })).rejects.toThrow(
      /not a readable PEM/,
    );
  });
});

describe("service tokens verified against a remote JWKS", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });

  /** Serves whatever `current()` returns at /jwks.json and counts the fetches. */
  async function serveJwks(current: () => JSONWebKeySet): Promise<{ url: string; fetches: () => number }> {
    let fetches = 0;
    server = createServer((req, res) => {
      if (req.url !== "/jwks.json") return void res.writeHead(404).end();
      fetches += 1;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(current()));
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/jwks.json`, fetches: () => fetches };
  }

  it("caches the key set and refetches it when a token names an unknown kid (key rotation)", async () => {
    let active = signer;
    const jwks = await serveJwks(() => active.publicJwks());
    const verifier = createServiceTokenVerifier({
      jwksUrl: jwks.url,
      issuer: SERVICE_TOKEN_ISSUER,
      refetchCooldownMs: 0,
    });

    const first = await signer.sign(claims, { audience: "devflow-worker" });
    await verifier.verify(first.token, "devflow-worker");
    await verifier.verify(first.token, "devflow-worker");
    expect(jwks.fetches()).toBe(1);

    active = await newSigner();
    const rotated = await active.sign({ ...claims, role: "admin" }, { audience: "devflow-worker" });
    await expect(verifier.verify(rotated.token, "devflow-worker")).resolves.toMatchObject({ role: "admin" });
    expect(jwks.fetches()).toBe(2);
  });

  it("does not refetch within the cooldown, so junk kids cannot flood the issuer", async () => {
    const jwks = await serveJwks(() => signer.publicJwks());
    const verifier = createServiceTokenVerifier({ jwksUrl: jwks.url, issuer: SERVICE_TOKEN_ISSUER });
    await verifier.verify((await signer.sign(claims, { audience: "devflow-ai" })).token, "devflow-ai");

    const stranger = await newSigner();
    const { token } = await stranger.sign(claims, { audience: "devflow-ai" });
    expect(await rejection(verifier.verify(token, "devflow-ai"))).toMatchObject({ code: "unauthenticated" });
    expect(jwks.fetches()).toBe(1);
  });

  it("answers unavailable, not unauthenticated, when the key set cannot be fetched", async () => {
    const jwks = await serveJwks(() => signer.publicJwks());
    const verifier = createServiceTokenVerifier({
      jwksUrl: jwks.url.replace("/jwks.json", "/missing"),
      issuer: SERVICE_TOKEN_ISSUER,
    });
    const { token } = await signer.sign(claims, { audience: "devflow-ai" });
    const error = await rejection(verifier.verify(token, "devflow-ai"));
    expect(error.code).toBe("unavailable");
    expect(error.message).toMatch(/^Could not load the service-token keys from http:\/\/127\.0\.0\.1:\d+\/missing/);
  });
});
