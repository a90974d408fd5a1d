import { z } from "zod";

const port = z.coerce.number().int().min(1).max(65_535);

/** An app's own port variable wins, then the platform's PORT, then the app's default. */
function withPort<T extends { PORT?: number | undefined }>(own: keyof T, fallback: number) {
  return (config: T) => ({ ...config, port: (config[own] as number | undefined) ?? config.PORT ?? fallback });
}

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, "expected a postgresql:// connection URL")
  .describe("PostgreSQL connection URL");

const redisUrl = z.string().regex(/^rediss?:\/\//, "expected a redis:// URL");

const flag = z
  .enum(["1", "0", "true", "false"], { message: "expected 1, 0, true or false" })
  .transform((v) => v === "1" || v === "true");

/** Variables every app reads. */
const common = {
  DEVFLOW_ENV: z.enum(["development", "test", "production"]).default("development"),
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

export const WebConfigSchema = z
  .object({
    ...common,
    WEB_PORT: port.optional(),
    /** The URL people open; used in links and redirects. */
    PUBLIC_URL: z.url().default("http://localhost:3000"),
    COLLAB_PUBLIC_URL: z.url().default("http://localhost:3001"),
    /** Signs session cookies. At least 32 characters; required in production. */
    SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    /** Lets anyone sign in as any seeded user by email. Refused in production. */
    DEVFLOW_DEV_SIGN_IN: flag.default(false),
    /**
     * Encrypts secrets at rest (SSO client secrets, integration tokens): 32 bytes, base64. Required in
     * production; in development one is generated under DATA_DIR.
     */
    ENCRYPTION_KEY: z
      .string()
      .refine((v) => Buffer.from(v, "base64").length === 32, "must be 32 bytes, base64-encoded")
      .optional(),
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

export const AiConfigSchema = z
  .object({ ...common, ...serviceTokenVerifier, ...aiIndexer, AI_PORT: port.optional() })
  .superRefine(requireDatabaseInProduction)
  .transform(withPort("AI_PORT", 3002));
export type AiConfig = z.infer<typeof AiConfigSchema>;

export const WorkerConfigSchema = z
  .object({ ...common, ...serviceTokenVerifier, WORKER_PORT: port.optional() })
  .superRefine(requireDatabaseInProduction)
  .transform(withPort("WORKER_PORT", 3003));
export type WorkerConfig = z.infer<typeof WorkerConfigSchema>;
