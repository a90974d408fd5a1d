import { createServiceTokenVerifier, SERVICE_TOKEN_ISSUER, type ServiceTokenVerifier } from "@devflow/auth";
import { answerQuestion } from "@devflow/ai-assistant";
import { chatModelFromConfig } from "@devflow/ai-llm";
import { createRetrievalService, retrievalSetupFromSettings } from "@devflow/ai-rag";
import type { Database } from "@devflow/db";
import { createFileProcessor } from "@devflow/domain-files";
import { createDocumentsService } from "@devflow/domain-documents";
import {
  createDocChangeNotifiers,
  createIntegrationClients,
  createPrAnalysisWorkflow,
  createWebhookDeliveryHandler,
  createWebhookIngress,
  SLACK_READER_ID,
  type SlashCommandDeps,
} from "@devflow/domain-integrations";
import {
  createCommentNotificationHandler,
  createDeadLetterRecorder,
  createDocumentMentionNotificationHandler,
  createFailedJobNotificationHandler,
  createShareNotificationHandler,
} from "@devflow/domain-notifications";
import { createProjectsService } from "@devflow/domain-projects";
import { createIssueTriageHandler } from "@devflow/domain-triage";
import { createWorkflowRunner } from "@devflow/domain-workflows";
import { createOutboxRelay, createPubSubPushVerifier, type EventBus, type EventHandler } from "@devflow/events";
import type { Logger } from "@devflow/observability";
import { createVirusScanner } from "@devflow/extract";
import { createMailer } from "@devflow/mail";
import {
  breakerKey,
  createResilientCallerRegistry,
  OUTSIDE_CALL_BREAKER_DEFAULTS,
  createSlackClient,
  type ResilientCallerRegistry,
} from "@devflow/integrations";
import { createServiceServer, type AppServer } from "@devflow/observability/service";
import { requireServiceTokens, servicePrincipal } from "@devflow/runtime";
import { createBlobStoreFromConfig, type BlobStore } from "@devflow/storage";
import { loadEncryptionKey, type WorkerConfig } from "@devflow/util-config";
import { registerPubSubPushRoutes } from "./pubsub/pubsub-push-routes";
import { registerGithubWebhooks } from "./webhooks/github-webhooks";
import { registerSlackWebhooks } from "./webhooks/slack-webhooks";

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
  /** Opens integration secrets; by default ENCRYPTION_KEY, or the development key under DATA_DIR. */
  encryptionKey?: Uint8Array;
  /** Where uploaded files are read from; by default what BLOB_STORE and its variables say. */
  blobs?: BlobStore;
  /** The event handlers this worker runs; by default all of them (workerHandlers). */
  handlers?: readonly EventHandler[];
}

/**
 * The worker service: the shared HTTP shell (probes, metrics, error envelope) and `/v1/`, open
 * only to callers with a service token for devflow-worker, and the outbox relay that moves
 * committed events to the bus. Webhook ingress and Pub/Sub push endpoints will be registered here.
 */
export function createWorkerServer({
  config,
  db,
  logger,
  serviceTokens,
  bus,
  encryptionKey,
  blobs,
  handlers: givenHandlers,
}: WorkerServerDeps): AppServer {
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
  // Loaded once, on first use, so a missing key fails webhook requests rather than start-up
  // (production refuses to start without ENCRYPTION_KEY anyway).
  let key: Promise<Uint8Array> | null = encryptionKey ? Promise.resolve(encryptionKey) : null;
  const openKey = () => (key ??= loadEncryptionKey(config));
  const ingress = createWebhookIngress(db, { encryptionKey: openKey });
  const webhookLimits = {
    bodyLimit: config.WEBHOOK_BODY_LIMIT_BYTES,
    ratePerMinute: config.WEBHOOK_RATE_LIMIT_PER_MINUTE,
  };
  registerGithubWebhooks(server.app, { ingress, ...webhookLimits });
  registerSlackWebhooks(server.app, { ingress, ...webhookLimits });
  const handlers = givenHandlers ?? workerHandlers(config, { db, logger, blobs, encryptionKey: openKey });
  if (!config.CLAMAV_HOST && config.DEVFLOW_ENV === "production") {
    logger.warn("CLAMAV_HOST is not set: uploaded files are processed without a virus scan");
  }
  // On Cloud Run, Pub/Sub pushes each handler's events here instead of the worker pulling them.
  const isPush = config.EVENT_BUS === "pubsub" && config.PUBSUB_DELIVERY === "push";
  if (isPush) {
    registerPubSubPushRoutes(server.app, {
      handlers,
      db,
      logger,
      onDeadLetter: createDeadLetterRecorder(db, { logger }),
      verifier: createPubSubPushVerifier({
        audience: config.PUBSUB_PUSH_AUDIENCE!,
        serviceAccountEmail: config.PUBSUB_PUSH_SERVICE_ACCOUNT!,
        ...(config.PUBSUB_PUSH_JWKS_URL && { jwksUrl: config.PUBSUB_PUSH_JWKS_URL }),
      }),
    });
  }
  const relay = bus && createOutboxRelay(db, bus, { logger });
  return {
    async listen() {
      if (!isPush) for (const handler of handlers) await bus?.subscribe(handler);
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

/** Every handler the worker runs, each on its own queue (or Pub/Sub subscription). */
export function workerHandlers(
  config: WorkerConfig,
  deps: {
    db: Database;
    logger: Logger;
    blobs?: BlobStore | undefined;
    encryptionKey: () => Promise<Uint8Array>;
  },
): EventHandler[] {
  const retrievalSetup = retrievalSetupFromSettings(config);
  // One circuit breaker per organization and service: one workspace's broken Slack app does not
  // stop another's.
  const breakers = createResilientCallerRegistry({
    ...OUTSIDE_CALL_BREAKER_DEFAULTS,
    timeoutMs: config.OUTSIDE_CALL_TIMEOUT_MS,
  });
  const clients = createIntegrationClients(deps.db, {
    encryptionKey: deps.encryptionKey,
    breakers,
    ...(config.SLACK_API_URL && { slackApiUrl: config.SLACK_API_URL }),
  });
  const notifying = {
    mailer: createMailer({
      smtpUrl: config.SMTP_URL,
      from: config.MAIL_FROM,
      logger: deps.logger,
      revealLinks: config.DEVFLOW_ENV !== "production",
    }),
    webBaseUrl: config.PUBLIC_URL,
    // Direct messages from the organization's Slack app, for those who chose Slack.
    slack: (organizationId: string) => clients.slack(organizationId),
    logger: deps.logger,
  };
  return [
    createWebhookDeliveryHandler(deps.db, {
      slashCommands: slashCommandDeps(config, deps.db, retrievalSetup, breakers),
    }),
    createCommentNotificationHandler(deps.db, notifying),
    createDocumentMentionNotificationHandler(deps.db, notifying),
    createFailedJobNotificationHandler(deps.db, notifying),
    createShareNotificationHandler(deps.db, notifying),
    ...createDocChangeNotifiers(deps.db, {
      encryptionKey: deps.encryptionKey,
      webBaseUrl: config.PUBLIC_URL,
      logger: deps.logger,
      postMessage: async (organizationId, token, channel, text) => {
        await createSlackClient({
          token,
          caller: breakers.get(breakerKey("slack", organizationId)),
          ...(config.SLACK_API_URL && { slackApiUrl: config.SLACK_API_URL }),
        }).postMessage(channel, text);
      },
    }),
    // Workflows join this list as they are built.
    createWorkflowRunner(deps.db, {
      workflows: [prAnalysisWorkflow(config, deps.db, retrievalSetup, clients)],
      logger: deps.logger,
    }),
    createFileProcessor(deps.db, {
      // The blob store web writes uploads to: the same variables, read the same way.
      blobs: deps.blobs ?? createBlobStoreFromConfig(config),
      ...retrievalSetup,
      scanner: config.CLAMAV_HOST ? createVirusScanner({ host: config.CLAMAV_HOST, port: config.CLAMAV_PORT }) : null,
      logger: deps.logger,
    }),
    createIssueTriageHandler(deps.db, { embedder: retrievalSetup.embedder }),
  ] as EventHandler[];
}

/**
 * The pull-request analysis, with the organization's GitHub token. A pull request that links no
 * doc is matched by searching its title and body as a reader of the whole organization (as Slack
 * commands read it): the comment is visible to everyone with access to the repository, so it
 * names only docs every member may read.
 */
function prAnalysisWorkflow(
  config: WorkerConfig,
  db: Database,
  retrievalSetup: ReturnType<typeof retrievalSetupFromSettings>,
  clients: ReturnType<typeof createIntegrationClients>,
) {
  const retrieval = createRetrievalService(db, retrievalSetup);
  return createPrAnalysisWorkflow({
    db,
    github: (organizationId) => clients.github(organizationId),
    webBaseUrl: config.PUBLIC_URL,
    // The extractive answerer (no AI_CHAT_PROVIDER) writes no prose: the analysis stays rule-based.
    chatModel: chatModelFromConfig(config),
    searchDocuments: async (organizationId, query) => {
      const ctx = {
        organizationId,
        actor: { userId: SLACK_READER_ID, role: "viewer" as const },
        requestId: "pr-analysis",
      };
      const passages = await retrieval.search(ctx, { query, limit: 10, sourceTypes: ["document"] });
      return passages.map((passage) => passage.sourceId);
    },
  });
}

/**
 * `/devflow ask …` from Slack: answered by the assistant (the configured chat model, or the
 * offline extractive answerer) over the organization's shared docs, and posted back to the
 * command's response_url through a per-organization circuit breaker.
 */
function slashCommandDeps(
  config: WorkerConfig,
  db: Database,
  retrievalSetup: ReturnType<typeof retrievalSetupFromSettings>,
  breakers: ResilientCallerRegistry,
): SlashCommandDeps {
  const sources = {
    model: chatModelFromConfig(config),
    retrieval: createRetrievalService(db, retrievalSetup),
    documents: createDocumentsService(db),
    projects: createProjectsService(db),
  };
  return {
    webBaseUrl: config.PUBLIC_URL,
    async answer(ctx, question) {
      const { text, citations } = await answerQuestion(sources, ctx, { question });
      return {
        text,
        citations: citations.map((c) =>
          c.sourceType === "file" ? { fileId: c.fileId, title: c.title } : { documentId: c.documentId, title: c.title },
        ),
      };
    },
    respond: (organizationId, url, body) =>
      createSlackClient({
        token: "",
        caller: breakers.get(breakerKey("slack", organizationId)),
        responseUrlOrigin: config.SLACK_RESPONSE_URL_ORIGIN,
      }).respondToResponseUrl(url, body),
  };
}
