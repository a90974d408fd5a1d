import { createOfflineEmbedder, type Embedder } from "@devflow/ai-rag";
import { createServiceTokenVerifier, SERVICE_TOKEN_ISSUER, type ServiceTokenVerifier } from "@devflow/auth";
import type { Database } from "@devflow/db";
import type { Logger } from "@devflow/observability";
import { createServiceServer, type AppServer } from "@devflow/observability/service";
import { requireServiceTokens, servicePrincipal } from "@devflow/runtime";
import type { AiConfig } from "@devflow/util-config";
import { createSearchIndexer } from "./search-indexer";

export interface AiServerDeps {
  config: AiConfig;
  db: Database;
  logger: Logger;
  /** Checks callers' service tokens; by default against the web app's JWKS at SERVICE_TOKEN_JWKS_URL. */
  serviceTokens?: ServiceTokenVerifier;
  /** Embeds chunks for the search index; by default the offline hashing embedder. */
  embedder?: Embedder;
}

/**
 * The AI service: the shared HTTP shell (probes, metrics, error envelope), `/v1/`, open only to
 * callers with a service token for devflow-ai, and the search index's background loop, which keeps
 * documents' chunks current a few seconds after edits settle. The assistant chat and the MCP server
 * (`/mcp`) will be registered here.
 */
export function createAiServer({ config, db, logger, serviceTokens, embedder }: AiServerDeps): AppServer {
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
  const searchIndexer = createSearchIndexer({ config, db, logger, embedder: embedder ?? createOfflineEmbedder() });
  return {
    async listen() {
      const url = await server.listen();
      searchIndexer.start();
      return url;
    },
    async close() {
      await searchIndexer.stop();
      await server.close();
    },
  };
}
