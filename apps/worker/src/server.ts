import { createServiceTokenVerifier, SERVICE_TOKEN_ISSUER, type ServiceTokenVerifier } from "@devflow/auth";
import type { Database } from "@devflow/db";
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
}

/**
 * The worker service: today the shared HTTP shell (probes, metrics, error envelope) and `/v1/`, open
 * only to callers with a service token for devflow-worker; webhook ingress and Pub/Sub push
 * endpoints will be registered here.
 */
export function createWorkerServer({ config, db, logger, serviceTokens }: WorkerServerDeps): AppServer {
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
  return { listen: server.listen, close: server.close };
}
