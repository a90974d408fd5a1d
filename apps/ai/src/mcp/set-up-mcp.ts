import type { Embedder, RetrievalService } from "@devflow/ai-rag";
import { createToolRegistry, type AnswerQuestion, type ToolRegistryDeps } from "@devflow/ai-tools";
import type { Database } from "@devflow/db";
import { createAgentLedgerService } from "@devflow/domain-agent-ledger";
import { createApiTokensService } from "@devflow/domain-api-tokens";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import type { Logger } from "@devflow/observability";
import type { ServiceApp } from "@devflow/observability/service";
import type { AiConfig } from "@devflow/util-config";
import { createSocketLiveEditor, createWebCollabTokens, type CollabTokenSource } from "../live-editor";
import { registerMcp } from "./register-mcp";

export interface McpSetup {
  config: AiConfig;
  db: Database;
  logger: Logger;
  /** Retrieval over the index, with the embedder and store the index was built with. */
  retrieval: RetrievalService;
  /** The same embedder, whole, for triage_issue (issues are embedded by the worker with it); without it the tool is not offered. */
  embedder?: Embedder;
  /** Files issues from doc passages in the organization's trackers; without it create_issue is not offered. */
  issuesFromDocs?: ToolRegistryDeps["issuesFromDocs"];
  /** Collab tokens for edit_doc; by default asked of the web app at WEB_INTERNAL_URL. */
  collabTokens?: CollabTokenSource;
  /** The assistant's answers, for the `ask` tool; without it `ask` is not offered. */
  answer?: AnswerQuestion;
}

/** Builds the tool registry (with live edits through collab) and registers `/mcp` on the app. */
export function setUpMcp(
  app: ServiceApp,
  { config, db, logger, retrieval, embedder, issuesFromDocs, collabTokens, answer }: McpSetup,
) {
  const liveEditor = createSocketLiveEditor({
    collabUrl: config.COLLAB_INTERNAL_URL,
    tokens: collabTokens ?? createWebCollabTokens({ webUrl: config.WEB_INTERNAL_URL }),
    logger,
  });
  const apiTokens = createApiTokensService(db);
  const mcp = registerMcp(app, {
    registry: createToolRegistry({
      db,
      retrieval,
      liveEditor,
      ...(embedder && { embedder }),
      ...(issuesFromDocs && { issuesFromDocs }),
      ...(answer && { answer }),
    }),
    ledger: createAgentLedgerService(db),
    authenticate: (token, requestId, options) => apiTokens.authenticate(token, requestId, options),
    documents: createDocumentsService(db),
    projects: createProjectsService(db),
    publicUrl: config.AI_PUBLIC_URL,
    authorizationServer: config.PUBLIC_URL,
    logger,
  });
  return {
    async close() {
      liveEditor.close();
      await mcp.close();
    },
  };
}
