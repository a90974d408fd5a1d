import { randomUUID } from "node:crypto";
import {
  createServiceTokenSigner,
  createServiceTokenVerifier,
  generateServiceTokenKeyPair,
  SERVICE_TOKEN_ISSUER,
  type ServiceTokenSigner,
  type ServiceTokenVerifier,
} from "@devflow/auth";
import { createLogger } from "@devflow/observability";
import { createServiceServer, type ServiceServer } from "@devflow/observability/service";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { requireServiceTokens, servicePrincipal } from "./service-auth";

const claims = { userId: randomUUID(), organizationId: randomUUID(), role: "viewer" } as const;
let signer: ServiceTokenSigner;
beforeAll(async () => {
  const { privateKeyPem } = await generateServiceTokenKeyPair();
  signer = await createServiceTokenSigner({ privateKeyPem, issuer: SERVICE_TOKEN_ISSUER });
});

const started: ServiceServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});

async function start(verifier: ServiceTokenVerifier): Promise<string> {
  const server = createServiceServer({
    service: "test",
    logger: createLogger({ service: "test", level: "silent" }),
    host: "127.0.0.1",
    port: 0,
    shutdownTimeoutMs: 1_000,
    readinessChecks: [],
  });
  started.push(server);
  requireServiceTokens(server.app, { verifier, audience: "devflow-ai" });
  server.app.get("/v1/whoami", async (request) => servicePrincipal(request));
  server.app.get("/open", async (request) => servicePrincipal(request));
  return server.listen();
}

const localVerifier = () => createServiceTokenVerifier({ jwks: signer.publicJwks(), issuer: SERVICE_TOKEN_ISSUER });

describe("requireServiceTokens", () => {
  it("accepts the scheme in any case and exposes the principal to the route", async () => {
    const url = await start(localVerifier());
    const { token } = await signer.sign(claims, { audience: "devflow-ai" });
    const response = await fetch(`${url}/v1/whoami`, { headers: { authorization: `bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ...claims, audience: "devflow-ai" });
  });

  it("guards unknown paths under the prefix and percent-encoded spellings of protected routes", async () => {
    const url = await start(localVerifier());
    expect((await fetch(`${url}/v1/nothing-here`)).status).toBe(401);
    const encoded = await fetch(`${url}/%761/whoami`);
    expect(encoded.status).toBe(401);
    expect(await encoded.json()).toMatchObject({ error: { code: "unauthenticated" } });
  });

  it("flags an invalid token in WWW-Authenticate", async () => {
    const url = await start(localVerifier());
    const response = await fetch(`${url}/v1/whoami`, { headers: { authorization: "Bearer x.y.z" } });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="devflow-ai", error="invalid_token"');
  });

  it("answers 503 when the issuer's keys cannot be fetched", async () => {
    const url = await start(
      createServiceTokenVerifier({ jwksUrl: "http://127.0.0.1:9/jwks.json", issuer: SERVICE_TOKEN_ISSUER }),
    );
    const { token } = await signer.sign(claims, { audience: "devflow-ai" });
    const response = await fetch(`${url}/v1/whoami`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { code: "unavailable" } });
  });

  it("treats a route outside the prefix asking for a principal as a server fault", async () => {
    const url = await start(localVerifier());
    expect((await fetch(`${url}/open`)).status).toBe(500);
  });
});
