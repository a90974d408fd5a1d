import { z } from "zod";
import { aiChat, aiEmbeddings, validateAiChat, validateAiEmbeddings } from "./ai-provider-settings";

const port = z.coerce.number().int().min(1).max(65_535);

/** An app's own port variable wins, then the platform's PORT, then the app's default. */
function withPort<T extends { PORT?: number | undefined }>(own: keyof T, fallback: number) {
  return (config: T) => ({ ...config, port: (config[own] as number | undefined) ?? config.PORT ?? fallback });
}

export const devflowEnv = z.enum(["development", "test", "production"]).default("development");

export const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, "expected a postgresql:// connection URL")
  .describe("PostgreSQL connection URL");

const redisUrl = z.string().regex(/^rediss?:\/\//, "expected a redis:// URL");

const flag = z
  .enum(["1", "0", "true", "false"], { message: "expected 1, 0, true or false" })
  .transform((v) => v === "1" || v === "true");

/**
 * Encrypts secrets at rest (SSO client secrets, integration secrets): 32 bytes, base64. Required in
 * production; in development one is generated under DATA_DIR.
 */
const encryptionKey = z
  .string()
  .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64-encoded")
  .optional();

/** Variables every app reads. */
const common = {
  DEVFLOW_ENV: devflowEnv,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Unset: an embedded PostgreSQL (PGlite) persisted under DATA_DIR. Not allowed in production. */
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  DATA_DIR: z.string().default(".data"),
  REDIS_URL: redisUrl.optional(),
  /** Cloud Run and most platforms say which port to listen on with PORT. */
  PORT: port.optional(),
  HOST: z.string().default("0.0.0.0"),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
};

/**
 * Where uploaded files' bytes live (web stores them, the worker reads them): a local directory by
 * default (`<DATA_DIR>/blobs` unless BLOB_DIRECTORY says otherwise), Google Cloud Storage at scale.
 * Web and worker must point at the same place; on Cloud Run that can only be a bucket. Read by
 * `createBlobStoreFromConfig` in @devflow/storage, which checks the same rules.
 */
const blobStorage = {
  BLOB_STORE: z.enum(["local", "gcs"], { message: "expected local or gcs" }).default("local"),
  BLOB_DIRECTORY: z.string().min(1).optional(),
  GCS_BUCKET: z.string().min(3).max(222).optional(),
  /** Overrides the Cloud Storage endpoint (a test server); unset in production. */
  GCS_API_ENDPOINT: z.url().optional(),
  GCS_PROJECT_ID: z.string().optional(),
};

function validateBlobStorage(
  config: {
    DEVFLOW_ENV: string;
    BLOB_STORE: "local" | "gcs";
    BLOB_DIRECTORY?: string | undefined;
    GCS_BUCKET?: string | undefined;
  },
  ctx: z.RefinementCtx,
) {
  if (config.BLOB_STORE === "gcs" && !config.GCS_BUCKET) {
    ctx.addIssue({ code: "custom", path: ["GCS_BUCKET"], message: "is required when BLOB_STORE=gcs" });
  }
  // Container disks are wiped on restart: in production a local store must name its volume.
  if (config.BLOB_STORE === "local" && config.DEVFLOW_ENV === "production" && !config.BLOB_DIRECTORY) {
    ctx.addIssue({
      code: "custom",
      path: ["BLOB_DIRECTORY"],
      message: "is required in production with BLOB_STORE=local (a volume web and worker share), or set BLOB_STORE=gcs",
    });
  }
}

/**
 * The event bus: a Postgres queue (pg-boss) by default, Google Cloud Pub/Sub at scale. Web reads it
 * for the failed-jobs page (the Pub/Sub transport keeps dead letters in event_dead_letters and
 * retries through Pub/Sub); the worker relays the outbox to it and runs the handlers.
 */
const eventBus = {
  EVENT_BUS: z.enum(["postgres", "pubsub"], { message: "expected postgres or pubsub" }).default("postgres"),
  PUBSUB_PROJECT_ID: z.string().min(1).optional(),
  /** Put before every topic name; one project can hold several deployments' topics. */
  PUBSUB_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9._~+%-]*$/)
    .default("devflow."),
  /** host:port of a Pub/Sub emulator; unset against Google's service. */
  PUBSUB_EMULATOR_HOST: z.string().min(1).optional(),
};

function validateEventBus(
  config: { EVENT_BUS: "postgres" | "pubsub"; PUBSUB_PROJECT_ID?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (config.EVENT_BUS === "pubsub" && !config.PUBSUB_PROJECT_ID) {
    ctx.addIssue({ code: "custom", path: ["PUBSUB_PROJECT_ID"], message: "is required when EVENT_BUS=pubsub" });
  }
}

/**
 * Where collab, ai and worker fetch the web app's service-token keys (JWKS). Defaults to the web app
 * on this machine; in a cluster, its internal address.
 */
const serviceTokenVerifier = {
  SERVICE_TOKEN_JWKS_URL: z.url().default("http://localhost:3000/.well-known/jwks.json"),
};

function requireInProduction<T extends { DEVFLOW_ENV: string }>(
  config: T,
  ctx: z.RefinementCtx,
  names: (keyof T & string)[],
) {
  if (config.DEVFLOW_ENV !== "production") return;
  for (const name of names) {
    if (!config[name])
      ctx.addIssue({ code: "custom", path: [name], message: "is required when DEVFLOW_ENV=production" });
  }
}

function requireDatabaseInProduction<T extends { DEVFLOW_ENV: string; DATABASE_URL?: string | undefined }>(
  config: T,
  ctx: z.RefinementCtx,
) {
  if (config.DEVFLOW_ENV === "production" && !config.DATABASE_URL) {
    ctx.addIssue({
      code: "custom",
      path: ["DATABASE_URL"],
      message: "is required when DEVFLOW_ENV=production (the embedded database is for development only)",
    });
  }
}

/**
 * The web app as the OAuth authorization server of the MCP server (libs/domain/oauth): the protected
 * resource (RFC 8707) its tokens are issued for. Must equal the `resource` the MCP server publishes in
 * its protected-resource metadata (the AI app's public URL + "/mcp").
 */
const oauthAuthorizationServer = {
  MCP_RESOURCE_URL: z.url().default("http://localhost:3002/mcp"),
};

/** Where the browser reaches the ai service's assistant API. */
const webAssistant = {
  AI_PUBLIC_URL: z.url().default("http://localhost:3002"),
};

export const WebConfigSchema = z
  .object({
    ...common,
    ...blobStorage,
    ...eventBus,
    /** Largest file an upload may carry, in bytes (default 25 MB). */
    FILE_UPLOAD_MAX_BYTES: z.coerce.number().int().min(1_024).max(104_857_600).default(26_214_400),
    ...webAssistant,
    ...oauthAuthorizationServer,
    ...aiEmbeddings,
    WEB_PORT: port.optional(),
    /** The URL people open; used in links and redirects. */
    PUBLIC_URL: z.url().default("http://localhost:3000"),
    COLLAB_PUBLIC_URL: z.url().default("http://localhost:3001"),
    /** Where GitHub and Slack reach the worker: the base of the webhook addresses settings show. */
    WORKER_PUBLIC_URL: z.url().default("http://localhost:3003"),
    /** Signs session cookies. At least 32 characters; required in production. */
    SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    /** Lets anyone sign in as any seeded user by email. Refused in production. */
    DEVFLOW_DEV_SIGN_IN: flag.default(false),
    ENCRYPTION_KEY: encryptionKey,
    /**
     * Signs service tokens for collab, ai and worker: an ES256 private key in PKCS#8 PEM. Required in
     * production; in development one is generated under DATA_DIR.
     */
    SERVICE_TOKEN_PRIVATE_KEY: z
      .string()
      .includes("PRIVATE KEY", { message: "expected a PKCS#8 PEM private key" })
      .optional(),
    /** Sends email (magic links, invitations), e.g. smtp://user:pass@smtp.example.com:587. Unset: emails are logged. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, "expected an smtp:// or smtps:// URL")
      .optional(),
    MAIL_FROM: z.string().min(3).default("DevFlow <no-reply@devflow.local>"),
    /** GitHub OAuth app for "Sign in with GitHub"; both or neither. */
    GITHUB_CLIENT_ID: z.string().min(1).optional(),
    GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
    /** GitHub Enterprise Server: its web and API addresses (e.g. https://ghe.example.com, …/api/v3). */
    GITHUB_URL: z.url().default("https://github.com"),
    GITHUB_API_URL: z.url().default("https://api.github.com"),
    /**
     * Tests only: a JSON file of { "<domain>": ["<TXT record>", …] } answered instead of DNS when
     * verifying domains. Refused in production.
     */
    DNS_TXT_OVERRIDES_FILE: z.string().min(1).optional(),
  })
  .superRefine((config, ctx) => {
    requireDatabaseInProduction(config, ctx);
    validateAiEmbeddings(config, ctx);
    validateBlobStorage(config, ctx);
    validateEventBus(config, ctx);
    requireInProduction(config, ctx, ["SESSION_SECRET", "ENCRYPTION_KEY", "SERVICE_TOKEN_PRIVATE_KEY"]);
    if (!config.GITHUB_CLIENT_ID !== !config.GITHUB_CLIENT_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: [config.GITHUB_CLIENT_ID ? "GITHUB_CLIENT_SECRET" : "GITHUB_CLIENT_ID"],
        message: "GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET go together: set both or neither",
      });
    }
    if (config.DEVFLOW_ENV === "production") {
      if (config.DNS_TXT_OVERRIDES_FILE) {
        ctx.addIssue({
          code: "custom",
          path: ["DNS_TXT_OVERRIDES_FILE"],
          message: "cannot be set when DEVFLOW_ENV=production: it lets anyone claim any domain",
        });
      }
      if (config.DEVFLOW_DEV_SIGN_IN) {
        ctx.addIssue({
          code: "custom",
          path: ["DEVFLOW_DEV_SIGN_IN"],
          message: "cannot be enabled when DEVFLOW_ENV=production: it lets anyone sign in as anyone",
        });
      }
    }
  })
  .transform(withPort("WEB_PORT", 3000));
export type WebConfig = z.infer<typeof WebConfigSchema>;

/** Only read with REDIS_URL set, when several collab instances share the documents. */
const collabCluster = {
  /** How long a dead instance's documents wait before another instance takes them over. */
  COLLAB_LEASE_TTL_MS: z.coerce.number().int().min(1_000).max(120_000).default(10_000),
  /** How long an instance waits for a document's owner to answer a forwarded join or op. */
  COLLAB_FORWARD_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  /** Prefix of every Redis key and channel, so deployments sharing one Redis stay apart. */
  COLLAB_REDIS_PREFIX: z.string().min(1).max(100).default("devflow:collab:"),
};

export const CollabConfigSchema = z
  .object({ ...common, ...serviceTokenVerifier, ...collabCluster, COLLAB_PORT: port.optional() })
  .superRefine(requireDatabaseInProduction)
  .transform(withPort("COLLAB_PORT", 3001));
export type CollabConfig = z.infer<typeof CollabConfigSchema>;

/** The background indexer that keeps the assistant's and search's chunks in step with documents. */
const aiIndexer = {
  /** Run the indexer in this process (turn off on all but a few instances, or in tests that index by hand). */
  AI_INDEXER: flag.default(true),
  /** Pause between passes when nothing was waiting, in ms. */
  AI_INDEXER_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(1_000),
  /** How long a document must go unedited before it is re-chunked, so typing does not re-index every keystroke. */
  AI_INDEXER_SETTLE_MS: z.coerce.number().int().min(0).max(3_600_000).default(2_000),
  /** Documents per pass. */
  AI_INDEXER_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(8),
};

/** The MCP server at `/mcp` and how its edits reach the live documents. */
const aiMcp = {
  /**
   * The AI app's address as MCP clients reach it; the protected resource is this + "/mcp". Its
   * authorization server is the web app at PUBLIC_URL.
   */
  AI_PUBLIC_URL: z.url().default("http://localhost:3002"),
  /** The web app from inside the cluster: where edit_doc asks for a collab token for its caller. */
  WEB_INTERNAL_URL: z.url().default("http://localhost:3000"),
  /** The collab service from inside the cluster: where edit_doc's edits are sent, like a person's. */
  COLLAB_INTERNAL_URL: z.url().default("http://localhost:3001"),
};

/** The in-app assistant's HTTP API (`/v1/assistant/*`), called by the browser directly. */
const aiAssistant = {
  /** The web app as people open it (the same variable web reads): the one origin allowed to call the assistant. */
  PUBLIC_URL: z.url().default("http://localhost:3000"),
  /** Questions one person may ask per minute, per ai instance. */
  AI_ASSISTANT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Model turns that may call tools before the model has to answer. */
  AI_ASSISTANT_MAX_TOOL_ROUNDS: z.coerce.number().int().min(0).max(10).default(4),
};

export const AiConfigSchema = z
  .object({
    ...common,
    ...serviceTokenVerifier,
    ...aiIndexer,
    ...aiAssistant,
    ...aiChat,
    ...aiEmbeddings,
    ...aiMcp,
    /**
     * The same key as web's: MCP's create_issue files issues with the organization's tracker
     * credentials web sealed. Without it in production, create_issue is not offered.
     */
    ENCRYPTION_KEY: encryptionKey,
    AI_PORT: port.optional(),
  })
  .superRefine((config, ctx) => {
    requireDatabaseInProduction(config, ctx);
    validateAiChat(config, ctx);
    validateAiEmbeddings(config, ctx);
  })
  .transform(withPort("AI_PORT", 3002));
export type AiConfig = z.infer<typeof AiConfigSchema>;

export const WorkerConfigSchema = z
  .object({
    ...common,
    ...serviceTokenVerifier,
    ...aiEmbeddings,
    WORKER_PORT: port.optional(),
    /** The same key as web's: the worker opens the integration secrets web sealed (webhook signing secrets). */
    ENCRYPTION_KEY: encryptionKey,
    /** Largest webhook body accepted, in bytes (default 5 MB; GitHub sends at most 25 MB). */
    WEBHOOK_BODY_LIMIT_BYTES: z.coerce.number().int().min(1_024).max(26_214_400).default(5_242_880),
    /** Deliveries one integration's webhook address accepts per minute, per worker instance. */
    WEBHOOK_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(6_000),
    ...blobStorage,
    /** A ClamAV daemon (clamd over TCP) that scans uploads before they are read; unset: no scan. */
    CLAMAV_HOST: z.string().min(1).optional(),
    CLAMAV_PORT: port.default(3310),
    ...eventBus,
    /**
     * How Pub/Sub hands events to the worker: `pull` (streaming pull, a long-running worker) or
     * `push` (Cloud Run: Pub/Sub POSTs each message to /pubsub/push/<handler>, signed with a
     * Google OIDC token for PUBSUB_PUSH_AUDIENCE as PUBSUB_PUSH_SERVICE_ACCOUNT).
     */
    PUBSUB_DELIVERY: z.enum(["pull", "push"], { message: "expected pull or push" }).default("pull"),
    PUBSUB_PUSH_AUDIENCE: z.url().optional(),
    PUBSUB_PUSH_SERVICE_ACCOUNT: z.email().optional(),
    /** Where Google's token-signing keys are; only tests change it. */
    PUBSUB_PUSH_JWKS_URL: z.url().optional(),
    /** The web app's address, for links in what the worker sends (Slack answers, emails). */
    PUBLIC_URL: z.url().default("http://localhost:3000"),
    /**
     * The only origin a slash command's response_url may have (Slack's hooks host); a response_url
     * arrives in a request body, so nothing else is ever posted to. Tests point it at loopback.
     */
    SLACK_RESPONSE_URL_ORIGIN: z.url().default("https://hooks.slack.com"),
    /** Slack's Web API root (ending in /api/); only tests change it. */
    SLACK_API_URL: z.url().optional(),
    /** Sends notification emails, as web sends its own (same variables). Unset: emails are logged. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, "expected an smtp:// or smtps:// URL")
      .optional(),
    MAIL_FROM: z.string().min(3).default("DevFlow <no-reply@devflow.local>"),
    /** Every call to Slack, GitHub, Jira or Linear gives up after this long (the breaker counts it). */
    OUTSIDE_CALL_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(10_000),
    ...aiChat,
  })
  .superRefine((config, ctx) => {
    requireDatabaseInProduction(config, ctx);
    validateAiEmbeddings(config, ctx);
    validateBlobStorage(config, ctx);
    validateEventBus(config, ctx);
    validateAiChat(config, ctx);
    if (config.EVENT_BUS === "pubsub" && config.PUBSUB_DELIVERY === "push") {
      for (const name of ["PUBSUB_PUSH_AUDIENCE", "PUBSUB_PUSH_SERVICE_ACCOUNT"] as const) {
        if (!config[name])
          ctx.addIssue({ code: "custom", path: [name], message: "is required when PUBSUB_DELIVERY=push" });
      }
    }
    requireInProduction(config, ctx, ["ENCRYPTION_KEY"]);
  })
  .transform(withPort("WORKER_PORT", 3003));
export type WorkerConfig = z.infer<typeof WorkerConfigSchema>;
