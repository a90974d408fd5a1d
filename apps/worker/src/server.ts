import { createServiceTokenVerifier, SERVICE_TOKEN_ISSUER, type ServiceTokenVerifier } from "@devflow/auth";
import { retrievalSetupFromSettings } from "@devflow/ai-rag";
import type { Database } from "@devflow/db";
import { createFileProcessor } from "@devflow/domain-files";
import { createWebhookDeliveryHandler, createWebhookIngress } from "@devflow/domain-integrations";
import { createOutboxRelay, createPubSubPushVerifier, type EventBus, type EventHandler } from "@devflow/events";
import type { Logger } from "@devflow/observability";
import { createVirusScanner } from "@devflow/extract";
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
  const ingress = createWebhookIngress(db, { encryptionKey: () => (key ??= loadEncryptionKey(config)) });
  registerGithubWebhooks(server.app, { ingress, bodyLimit: config.WEBHOOK_BODY_LIMIT_BYTES });
  registerSlackWebhooks(server.app, { ingress, bodyLimit: config.WEBHOOK_BODY_LIMIT_BYTES });
  const handlers = givenHandlers ?? workerHandlers(config, { db, logger, blobs });
  // On Cloud Run, Pub/Sub pushes each handler's events here instead of the worker pulling them.
  const isPush = config.EVENT_BUS === "pubsub" && config.PUBSUB_DELIVERY === "push";
  if (isPush) {
    registerPubSubPushRoutes(server.app, {
      handlers,
      db,
      logger,
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
  deps: { db: Database; logger: Logger; blobs?: BlobStore | undefined },
): EventHandler[] {
  return [
    createWebhookDeliveryHandler(deps.db),
    createFileProcessor(deps.db, {
      blobs: deps.blobs ?? blobStoreFor(config),
      ...retrievalSetupFromSettings(config),
      scanner: config.CLAMAV_HOST ? createVirusScanner({ host: config.CLAMAV_HOST, port: config.CLAMAV_PORT }) : null,
      logger: deps.logger,
    }),
  ] as EventHandler[];
}

/** The blob store web writes uploads to: the same variables, read the same way. */
function blobStoreFor(config: WorkerConfig): BlobStore {
  return createBlobStoreFromConfig({
    DEVFLOW_ENV: config.DEVFLOW_ENV,
    DATA_DIR: config.DATA_DIR,
    BLOB_STORE: config.BLOB_STORE,
    BLOB_DIRECTORY: config.BLOB_DIRECTORY,
    GCS_BUCKET: config.GCS_BUCKET,
    GCS_PROJECT_ID: config.GCS_PROJECT_ID,
    GCS_API_ENDPOINT: config.GCS_API_ENDPOINT,
  });
}
