import { createAskAnswerer } from "@devflow/ai-assistant";
import { chatModelFromConfig } from "@devflow/ai-llm";
import { createRetrievalService, retrievalSetupFromSettings, type Embedder } from "@devflow/ai-rag";
import { createServiceTokenVerifier, SERVICE_TOKEN_ISSUER, type ServiceTokenVerifier } from "@devflow/auth";
import type { Database } from "@devflow/db";
import { createAiActivityService } from "@devflow/domain-ai-activity";
import { createDocumentsService } from "@devflow/domain-documents";
import { createIntegrationClients, createIssuesFromDocsService } from "@devflow/domain-integrations";
import { createProjectsService } from "@devflow/domain-projects";
import { createResilientCallerRegistry, OUTSIDE_CALL_BREAKER_DEFAULTS } from "@devflow/integrations";
import type { Logger } from "@devflow/observability";
import { createServiceServer, type AppServer } from "@devflow/observability/service";
import { requireServiceTokens, servicePrincipal } from "@devflow/runtime";
import { loadEncryptionKey, type AiConfig } from "@devflow/util-config";
import { registerAssistant, registerAssistantCors } from "./assistant";
import type { CollabTokenSource } from "./live-editor";
import { setUpMcp } from "./mcp";
import { createSearchIndexer } from "./search-indexer";

export interface AiServerDeps {
  config: AiConfig;
  db: Database;
  logger: Logger;
  /** Checks callers' service tokens; by default against the web app's JWKS at SERVICE_TOKEN_JWKS_URL. */
  serviceTokens?: ServiceTokenVerifier;
  /** Embeds chunks and questions; by default the one AI_EMBEDDINGS_* chooses (offline hashing unless set). */
  embedder?: Embedder;
  /** Collab tokens for the MCP server's live edits; by default asked of the web app (tests sign their own). */
  collabTokens?: CollabTokenSource;
}

/**
 * The AI service: the shared HTTP shell (probes, metrics, error envelope), `/v1/`, open only to
 * callers with a service token for devflow-ai, and the search index's background loop, which keeps
 * documents' chunks current a few seconds after edits settle; the assistant's API under
 * `/v1/assistant/`, and the MCP server at `/mcp` (its own bearer auth). Indexing, retrieval, the
 * assistant and MCP's `ask` share one embedder and vector store, chosen by AI_EMBEDDINGS_* and
 * AI_VECTOR_STORE, and one chat model, chosen by AI_CHAT_*.
 */
export function createAiServer({ config, db, logger, serviceTokens, embedder, collabTokens }: AiServerDeps): AppServer {
  const server = createServiceServer({
    service: "ai",
    logger,
    host: config.HOST,
    port: config.port,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    readinessChecks: [{ name: "database", check: () => db.ping() }],
  });
  // Before the token check: a browser's CORS preflight carries no token.
  registerAssistantCors(server.app, { allowedOrigin: config.PUBLIC_URL });
  requireServiceTokens(server.app, {
    verifier:
      serviceTokens ??
      createServiceTokenVerifier({ jwksUrl: config.SERVICE_TOKEN_JWKS_URL, issuer: SERVICE_TOKEN_ISSUER }),
    audience: "devflow-ai",
  });
  server.app.get("/v1/whoami", async (request) => servicePrincipal(request));
  const configured = retrievalSetupFromSettings(config);
  const setup = { embedder: embedder ?? configured.embedder, store: configured.store };
  const retrieval = createRetrievalService(db, setup);
  const model = chatModelFromConfig(config);
  registerAssistant(server.app, { config, db, logger, retrieval, embedder: setup.embedder, model });
  // `/mcp` authenticates API tokens itself; it is outside `/v1/`, so the service-token check skips it.
  const answer = createAskAnswerer({
    model,
    retrieval,
    documents: createDocumentsService(db),
    projects: createProjectsService(db),
    activity: createAiActivityService(db),
    onBackgroundError: (err, what) => logger.error({ err }, `ask: failed ${what}`),
  });
  const mcp = setUpMcp(server.app, {
    config,
    db,
    logger,
    retrieval,
    embedder: setup.embedder,
    ...(canOpenCredentials(config) && { issuesFromDocs: issuesFromDocsOf(config, db) }),
    collabTokens,
    answer,
  });
  const searchIndexer = createSearchIndexer({ config, db, logger, ...setup });
  return {
    async listen() {
      const url = await server.listen();
      searchIndexer.start();
      return url;
    },
    async close() {
      await searchIndexer.stop();
      await server.close();
      await mcp.close();
    },
  };
}

/** Whether the trackers' sealed credentials can be opened: with ENCRYPTION_KEY, or a development key file. */
function canOpenCredentials(config: AiConfig): boolean {
  return config.ENCRYPTION_KEY !== undefined || config.DEVFLOW_ENV !== "production";
}

/** create_issue's service: the organization's trackers, each behind its own breaker per organization. */
function issuesFromDocsOf(config: AiConfig, db: Database) {
  let key: Promise<Uint8Array> | null = null;
  return createIssuesFromDocsService(db, {
    clients: createIntegrationClients(db, {
      encryptionKey: () => (key ??= loadEncryptionKey(config)),
      breakers: createResilientCallerRegistry(OUTSIDE_CALL_BREAKER_DEFAULTS),
    }),
    webBaseUrl: config.PUBLIC_URL,
  });
}
