/**
 * Runs all of DevFlow in one process:  npm run dev   (or `npm start` after `npm run build`)
 *
 * Without DATABASE_URL it opens an embedded PostgreSQL (PGlite with pgvector) under DATA_DIR,
 * which allows exactly one connection, so every app shares one Database here instead of
 * connecting on its own. With DATABASE_URL the same apps use that server. Migrations run and the
 * demo workspace is seeded before the apps start.
 */
import path from "node:path";
import { createAiServer } from "../../apps/ai/src/server";
import { pgliteNotificationFeed } from "../../apps/collab/src/notification-push";
import { createCollabServer } from "../../apps/collab/src/server";
import { createWorkerServer } from "../../apps/worker/src/server";
import { startWebServer } from "../../apps/web/server";
import { connectDatabase, embeddedDatabase, openEmbeddedPostgres, type Database } from "@devflow/db";
import { migrateEmbedded, migratePostgres } from "@devflow/db/migrations";
import { createDeadLetterRecorder } from "@devflow/domain-notifications";
import { createPgBossEventBus, pgliteBossDb, type EventBus } from "@devflow/events";
import { createLogger } from "@devflow/observability";
import {
  AiConfigSchema,
  CollabConfigSchema,
  ConfigError,
  loadConfig,
  WebConfigSchema,
  WorkerConfigSchema,
} from "@devflow/util-config";
import { DEMO_USERS, seedDemo } from "../../prisma/seed/demo";

const production = process.argv.includes("--production");
const startedAt = performance.now();

// Development defaults: sign in as a seeded user. The config schema refuses this in production.
process.env.DEVFLOW_DEV_SIGN_IN ??= process.env.DEVFLOW_ENV === "production" ? "0" : "1";
process.env.NEXT_TELEMETRY_DISABLED ??= "1";
// collab, ai and worker verify service tokens against the web app's keys, wherever web listens.
process.env.SERVICE_TOKEN_JWKS_URL ??= `http://localhost:${process.env.WEB_PORT ?? process.env.PORT ?? "3000"}/.well-known/jwks.json`;

const configs = loadAll();
const logFor = (service: string) => createLogger({ service, level: configs.web.LOG_LEVEL });
const logger = logFor("devflow");

const { database, bus, notificationFeed } = await openDatabase();
const seed = process.env.DEVFLOW_SEED === "0" ? null : await seedDemo(database, logger);

const collab = createCollabServer({
  config: configs.collab,
  db: database,
  logger: logFor("collab"),
  // Embedded: PGlite takes no second connection to LISTEN on, but every app is in this process.
  ...(notificationFeed && { notificationFeed }),
});
const ai = createAiServer({ config: configs.ai, db: database, logger: logFor("ai") });
const worker = createWorkerServer({ config: configs.worker, db: database, logger: logFor("worker"), bus });
const urls = await Promise.all([collab.listen(), ai.listen(), worker.listen()]);
const web = await startWebServer({ config: configs.web, dev: !production, database });

const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
const signIn = configs.web.DEVFLOW_DEV_SIGN_IN ? `\n  Sign in as ${DEMO_USERS.map((u) => u.email).join(" or ")}` : "";
process.stdout.write(
  `\nDevFlow is running (${database.kind === "embedded" ? `embedded database in ${path.resolve(configs.web.DATA_DIR)}` : "PostgreSQL"}, ready in ${seconds}s)\n` +
    `  Open ${configs.web.PUBLIC_URL}${seed ? ` — demo workspace /${seed.organizationSlug}` : ""}${signIn}\n` +
    `  collab ${urls[0]}  ai ${urls[1]}  worker ${urls[2]}\n` +
    (configs.web.SMTP_URL
      ? "\n"
      : "  Emails (sign-in links, invitations) are printed here; set SMTP_URL to send them.\n\n"),
);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    await Promise.allSettled([web.close(), collab.close(), ai.close(), worker.close()]);
    await database.close();
    process.exit(0);
  });
}

function loadAll() {
  try {
    return {
      web: loadConfig("web", WebConfigSchema),
      collab: loadConfig("collab", CollabConfigSchema),
      ai: loadConfig("ai", AiConfigSchema),
      worker: loadConfig("worker", WorkerConfigSchema),
    };
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * The database and the event bus on it: pg-boss on the server, or in this process on PGlite (and
 * then the feed collab hears new notifications on, which on the server it opens itself).
 */
async function openDatabase(): Promise<{
  database: Database;
  bus: EventBus;
  notificationFeed?: ReturnType<typeof pgliteNotificationFeed>;
}> {
  const { DATABASE_URL, DATA_DIR, DATABASE_POOL_MAX } = configs.web;
  const busLogger = logFor("events");
  // A job that fails for good tells the organization's admins (a job.failed notification).
  const onDeadLetter = (database: Database) => createDeadLetterRecorder(database, { logger: busLogger });
  if (DATABASE_URL) {
    await migratePostgres(process.env.MIGRATION_DATABASE_URL ?? DATABASE_URL);
    const database = await connectDatabase({ databaseUrl: DATABASE_URL, poolMax: DATABASE_POOL_MAX, logger });
    return {
      database,
      bus: createPgBossEventBus({
        connectionString: DATABASE_URL,
        logger: busLogger,
        onDeadLetter: onDeadLetter(database),
      }),
    };
  }
  const pglite = await openEmbeddedPostgres(path.join(DATA_DIR, "pglite"));
  const result = await migrateEmbedded(pglite);
  if (result.applied.length) logger.info({ applied: result.applied }, "migrated the embedded database");
  const database = embeddedDatabase(pglite, logger);
  return {
    database,
    bus: createPgBossEventBus({ db: pgliteBossDb(pglite), logger: busLogger, onDeadLetter: onDeadLetter(database) }),
    notificationFeed: pgliteNotificationFeed(pglite),
  };
}
