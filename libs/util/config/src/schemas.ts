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
  })
  .superRefine((config, ctx) => {
    requireDatabaseInProduction(config, ctx);
    if (config.DEVFLOW_ENV === "production") {
      if (!config.SESSION_SECRET) {
        ctx.addIssue({ code: "custom", path: ["SESSION_SECRET"], message: "is required when DEVFLOW_ENV=production" });
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

export const CollabConfigSchema = z
  .object({ ...common, COLLAB_PORT: port.optional() })
  .superRefine(requireDatabaseInProduction)
  .transform(withPort("COLLAB_PORT", 3001));
export type CollabConfig = z.infer<typeof CollabConfigSchema>;

export const AiConfigSchema = z
  .object({ ...common, AI_PORT: port.optional() })
  .superRefine(requireDatabaseInProduction)
  .transform(withPort("AI_PORT", 3002));
export type AiConfig = z.infer<typeof AiConfigSchema>;

export const WorkerConfigSchema = z
  .object({ ...common, WORKER_PORT: port.optional() })
  .superRefine(requireDatabaseInProduction)
  .transform(withPort("WORKER_PORT", 3003));
export type WorkerConfig = z.infer<typeof WorkerConfigSchema>;
