import { createServiceTokenVerifier, SERVICE_TOKEN_ISSUER, type ServiceTokenVerifier } from "@devflow/auth";
import type { Database } from "@devflow/db";
import type { Logger } from "@devflow/observability";
import { createServiceServer, type AppServer } from "@devflow/observability/service";
import { requireServiceTokens, servicePrincipal } from "@devflow/runtime";
import type { AiConfig } from "@devflow/util-config";

export interface AiServerDeps {
  config: AiConfig;
  db: Database;
  logger: Logger;
  /** Checks callers' service tokens; by default against the web app's JWKS at SERVICE_TOKEN_JWKS_URL. */
  serviceTokens?: ServiceTokenVerifier;
}

/**
 * The AI service: today the shared HTTP shell (probes, metrics, error envelope) and `/v1/`, open
 * only to callers with a service token for devflow-ai; the assistant chat and the MCP server
 * (`/mcp`) will be registered here.
 */
export function createAiServer({ config, db, logger, serviceTokens }: AiServerDeps): AppServer {
  const server = createServiceServer({
    service: "ai",
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
    audience: "devflow-ai",
  });
  server.app.get("/v1/whoami", async (request) => servicePrincipal(request));
  return { listen: server.listen, close: server.close };
}
