import { randomUUID } from "node:crypto";
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
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll } from "vitest";
import { createCollabServer } from "../server";

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export interface ClusterInstance {
  /** `http://127.0.0.1:<port>`, for socket.io-client. */
  readonly url: string;
  readonly instanceId: string;
  /**
   * Dies as a crashed process would, as far as the others can tell: its Redis connections are cut
   * first (no more lease renewals, forwarded requests or broadcasts), then its sockets are closed.
   * Its leases stay in Redis until they expire.
   */
  crash(): Promise<void>;
  /** Shuts down as on SIGTERM: sockets closed, queues drained, leases released. */
  close(): Promise<void>;
}

export interface ClusterTuning {
  /** Short in tests, so a crashed owner's documents are taken over quickly. */
  leaseTtlMs?: number;
  forwardTimeoutMs?: number;
}

export interface CollabTestCluster {
  /** Starts one more collab instance on a random port, sharing the database and this file's Redis keys. */
  start(tuning?: ClusterTuning): Promise<ClusterInstance>;
  /** A collab service token for the user, as the web app would mint it. */
  tokenFor(userId: string, organizationId: string, role: MemberRole): Promise<string>;
  /** Runs after the current test: closes sockets before the servers they talk to. */
  onCleanup(close: () => void): void;
  /** The lease of a document as stored: "<instance> <fencing token>", or null when nobody holds it. */
  leaseOf(organizationId: string, documentId: string): Promise<string | null>;
}

/**
 * Registers the hooks a multi-instance collab test needs: a signing key standing in for the web
 * app's, a Redis key prefix of its own (deleted afterwards), and instances and sockets closed after
 * each test. `db` is read when an instance starts, so the caller's own beforeAll may create it.
 */
export function useCollabCluster(db: () => Database): CollabTestCluster {
  const keyPrefix = `test:collab:${randomUUID()}:`;
  let signer: ServiceTokenSigner;
  let inspector: Redis;
  const running = new Set<AppServer>();
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    signer = await createServiceTokenSigner({
      privateKeyPem: (await generateServiceTokenKeyPair()).privateKeyPem,
      issuer: SERVICE_TOKEN_ISSUER,
    });
    inspector = new Redis(TEST_REDIS_URL);
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) close();
    const servers = [...running];
    running.clear();
    await Promise.all(servers.map((s) => s.close()));
  });
  afterAll(async () => {
    if (!inspector) return;
    const keys = await inspector.keys(`${keyPrefix}*`);
    if (keys.length > 0) await inspector.del(...keys);
    await inspector.quit();
  });

  return {
    async start(tuning = {}) {
      const config = {
        ...loadConfig("collab", CollabConfigSchema, { HOST: "127.0.0.1", REDIS_URL: TEST_REDIS_URL }),
        port: 0,
      };
      const instanceId = `collab-${running.size + 1}-${randomUUID().slice(0, 8)}`;
      const connections: Redis[] = [];
      const server = createCollabServer({
        config,
        db: db(),
        logger: createLogger({ service: "collab", level: "silent" }),
        serviceTokens: createServiceTokenVerifier({ jwks: signer.publicJwks(), issuer: SERVICE_TOKEN_ISSUER }),
        sessions: {
          opRateLimit: { burst: 10_000, perSecond: 10_000 },
          cluster: {
            instanceId,
            keyPrefix,
            ...tuning,
            connect: (url, redisOptions) => {
              const client = new Redis(url, redisOptions);
              connections.push(client);
              return client;
            },
          },
        },
      });
      running.add(server);
      const url = await server.listen();
      return {
        url,
        instanceId,
        async crash() {
          for (const client of connections) client.disconnect();
          running.delete(server);
          await server.close();
        },
        async close() {
          running.delete(server);
          await server.close();
        },
      };
    },
    async tokenFor(userId, organizationId, role) {
      return (await signer.sign({ userId, organizationId, role }, { audience: "devflow-collab" })).token;
    },
    onCleanup(close) {
      closers.push(close);
    },
    leaseOf(organizationId, documentId) {
      return inspector.get(`${keyPrefix}lease:${organizationId}/${documentId}`);
    },
  };
}
