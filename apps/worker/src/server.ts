import { createServiceTokenVerifier, SERVICE_TOKEN_ISSUER, type ServiceTokenVerifier } from "@devflow/auth";
import type { Database } from "@devflow/db";
import { createOutboxRelay, type EventBus } from "@devflow/events";
import type { Logger } from "@devflow/observability";
import { createServiceServer, type AppServer } from "@devflow/observability/service";
import { requireServiceTokens, servicePrincipal } from "@devflow/runtime";
import type { WorkerConfig } from "@devflow/util-config";

export interface WorkerServerDeps {
  config: WorkerConfig;
  db: Database;
  logger: Logger;
  /** Checks callers' service tokens; by default against the web app's JWKS at SERVICE_TOKEN_JWKS_URL. */
  serviceTokens?: ServiceTokenVerifier;
  /**
   * The event bus: while the worker runs it relays the outbox to the bus, and it closes the bus
   * when it stops. Without one the worker relays nothing (tests of the HTTP surface).
   */
  bus?: EventBus;
}

/**
 * The worker service: the shared HTTP shell (probes, metrics, error envelope) and `/v1/`, open
 * only to callers with a service token for devflow-worker, and the outbox relay that moves
 * committed events to the bus. Webhook ingress and Pub/Sub push endpoints will be registered here.
 */
export function createWorkerServer({ config, db, logger, serviceTokens, bus }: WorkerServerDeps): AppServer {
  const server = createServiceServer({
    service: "worker",
    logger,
    host: config.HOST,
    port: config.port,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    readinessChecks: [{ name: "database", check: () => db.ping() }],
  });
  requireServiceTokens(server.app, {
    verifier:
      serviceTokens ??
      createServiceTokenVerifier({ jwksUrl: config.SERVICE_TOKEN_JWKS_URL, issuer: SERVICE_TOKEN_ISSUER }),
    audience: "devflow-worker",
  });
  server.app.get("/v1/whoami", async (request) => servicePrincipal(request));
  const relay = bus && createOutboxRelay(db, bus, { logger });
  return {
    async listen() {
      const url = await server.listen();
      relay?.start();
      return url;
    },
    async close() {
      await relay?.stop();
      await server.close();
      await bus?.close();
    },
  };
}
