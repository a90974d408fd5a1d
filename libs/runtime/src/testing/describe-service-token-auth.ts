import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createServiceTokenSigner,
  generateServiceTokenKeyPair,
  SERVICE_TOKEN_ISSUER,
  type ServiceTokenAudience,
  type ServiceTokenSigner,
} from "@devflow/auth";
import type { AppServer } from "@devflow/observability/service";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The contract every service behind `requireServiceToken` keeps on `/v1/`: the web app's tokens for
 * this service get in, anything else gets 401 with the error envelope, probes stay public. `start`
 * builds the server with SERVICE_TOKEN_JWKS_URL pointing at a stand-in for the web app's JWKS.
 */
export function describeServiceTokenAuth(
  audience: ServiceTokenAudience,
  otherAudience: ServiceTokenAudience,
  start: (jwksUrl: string) => AppServer,
): void {
  describe(`${audience} /v1/ with service tokens`, () => {
    const claims = { userId: randomUUID(), organizationId: randomUUID(), role: "admin" } as const;
    let signer: ServiceTokenSigner;
    let jwksServer: Server;
    let server: AppServer;
    let url: string;

    beforeAll(async () => {
      signer = await createServiceTokenSigner({
        privateKeyPem: (await generateServiceTokenKeyPair()).privateKeyPem,
        issuer: SERVICE_TOKEN_ISSUER,
      });
      jwksServer = createServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(signer.publicJwks()));
      });
      await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
      const { port } = jwksServer.address() as AddressInfo;
      server = start(`http://127.0.0.1:${port}/.well-known/jwks.json`);
      url = await server.listen();
    });
    afterAll(async () => {
      await server?.close();
      await new Promise((resolve) => jwksServer?.close(resolve));
    });

    const whoami = (authorization?: string) =>
      fetch(`${url}/v1/whoami`, authorization ? { headers: { authorization } } : {});

    it("answers /v1/whoami with the verified user, organization and role", async () => {
      const { token, expiresAt } = await signer.sign(claims, { audience });
      const response = await whoami(`Bearer ${token}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ...claims, audience, expiresAt: expiresAt.toISOString() });
    });

    it("refuses a request without a token with 401 and the error envelope", async () => {
      const response = await whoami();
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe(`Bearer realm="${audience}"`);
      expect(await response.json()).toEqual({
        error: {
          code: "unauthenticated",
          message: "Send a service token from the web app as Authorization: Bearer <token>",
        },
      });
    });

    it("refuses a malformed token and one minted for another service", async () => {
      const garbage = await whoami("Bearer not.a.token");
      expect(garbage.status).toBe(401);
      expect(await garbage.json()).toEqual({
        error: { code: "unauthenticated", message: "Service token is malformed" },
      });

      const { token } = await signer.sign(claims, { audience: otherAudience });
      const misdirected = await whoami(`Bearer ${token}`);
      expect(misdirected.status).toBe(401);
      expect(await misdirected.json()).toEqual({
        error: { code: "unauthenticated", message: `Service token is not meant for ${audience}` },
      });
    });

    it("keeps probes and metrics public", async () => {
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      expect((await fetch(`${url}/metrics`)).status).toBe(200);
    });
  });
}
