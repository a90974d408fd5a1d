import { connectDatabase, type Database } from "@devflow/db";
import { createLogger, type Logger } from "@devflow/observability";
import { stopOnSignals } from "@devflow/observability/service";
import { ConfigError, loadConfig } from "@devflow/util-config";
import type { z } from "zod";

interface ServiceConfig {
  DATABASE_URL?: string | undefined;
  DATA_DIR: string;
  DATABASE_POOL_MAX: number;
  LOG_LEVEL: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
}

export interface RunServiceOptions<S extends z.ZodType<ServiceConfig>> {
  service: string;
  schema: S;
  create(deps: { config: z.infer<S>; db: Database; logger: Logger }): {
    listen(): Promise<string>;
    close(): Promise<void>;
  };
}

/**
 * The whole life of a standalone app process: validate the environment (exit 1 naming each bad
 * variable), connect to PostgreSQL, listen, and stop gracefully on SIGTERM/SIGINT.
 */
export async function runService<S extends z.ZodType<ServiceConfig>>({
  service,
  schema,
  create,
}: RunServiceOptions<S>) {
  const config = loadConfigOrExit(service, schema);
  if (!config.DATABASE_URL) {
    // The embedded database allows one process per data directory, so a lone app cannot share it.
    exitWith(
      `${service}: DATABASE_URL is not set. Set DATABASE_URL, or use \`npm run dev\`, which runs every app on one embedded database.`,
    );
  }
  const logger = createLogger({ service, level: config.LOG_LEVEL });
  const db = await connectDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    poolMax: config.DATABASE_POOL_MAX,
    logger,
  });
  const server = create({ config, db, logger });
  stopOnSignals({
    logger,
    stop: async () => {
      await server.close();
      await db.close();
    },
  });
  try {
    const url = await server.listen();
    logger.info({ url }, `${service} listening`);
  } catch (error) {
    logger.fatal({ err: error }, `${service} could not start`);
    await db.close();
    process.exit(1);
  }
}

function loadConfigOrExit<S extends z.ZodType>(service: string, schema: S): z.infer<S> {
  try {
    return loadConfig(service, schema);
  } catch (error) {
    // The message already names every bad variable; a stack would only bury it.
    if (error instanceof ConfigError) exitWith(error.message);
    throw error;
  }
}

function exitWith(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
