import {
  createServiceTokenSigner,
  createServiceTokenVerifier,
  generateServiceTokenKeyPair,
  SERVICE_TOKEN_ISSUER,
  type ServiceTokenSigner,
} from "@devflow/auth";
import type { MemberRole } from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { createLogger } from "@devflow/observability";
import type { AppServer } from "@devflow/observability/service";
import { CollabConfigSchema, loadConfig } from "@devflow/util-config";
import { afterEach, beforeAll } from "vitest";
import { createCollabServer, type CollabServerDeps } from "../server";

export interface CollabTestServer {
  /** Starts a collab server on a random port (op rate limit lifted unless `sessions` says otherwise). */
  start(sessions?: CollabServerDeps["sessions"]): Promise<string>;
  /** A collab service token for the user, as the web app would mint it (for an agent acting for them, with `agent`). */
  tokenFor(userId: string, organizationId: string, role: MemberRole, agent?: string): Promise<string>;
  /** Runs after the current test: closes sockets before the servers they talk to. */
  onCleanup(close: () => void): void;
}

/**
 * Registers the hooks a collab socket test needs: a signing key standing in for the web app's, and
 * servers and sockets closed after each test. `db` is read when a server starts, so the caller's own
 * beforeAll may create it.
 */
export function useCollabTestServer(db: () => Database): CollabTestServer {
  let signer: ServiceTokenSigner;
  const servers: AppServer[] = [];
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    signer = await createServiceTokenSigner({
      privateKeyPem: (await generateServiceTokenKeyPair()).privateKeyPem,
      issuer: SERVICE_TOKEN_ISSUER,
    });
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  return {
    async start(sessions) {
      const config = { ...loadConfig("collab", CollabConfigSchema, { HOST: "127.0.0.1" }), port: 0 };
      const server = createCollabServer({
        config,
        db: db(),
        logger: createLogger({ service: "collab", level: "silent" }),
        serviceTokens: createServiceTokenVerifier({ jwks: signer.publicJwks(), issuer: SERVICE_TOKEN_ISSUER }),
        sessions: sessions ?? { opRateLimit: { burst: 10_000, perSecond: 10_000 } },
      });
      servers.push(server);
      return server.listen();
    },
    async tokenFor(userId, organizationId, role, agent) {
      const claims = { userId, organizationId, role, ...(agent !== undefined && { agent }) };
      return (await signer.sign(claims, { audience: "devflow-collab" })).token;
    },
    onCleanup(close) {
      closers.push(close);
    },
  };
}
