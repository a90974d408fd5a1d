import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { Logger } from "pino";
import { createDatabase, type Database } from "./database";
import { PrismaClient } from "./generated/prisma/client";

export interface ConnectOptions {
  /** A PostgreSQL URL. Without one, an embedded database under `dataDir` is opened. */
  databaseUrl?: string | undefined;
  /** Where the embedded database persists (ignored with a URL). */
  dataDir?: string;
  /** Pool size for a server connection. */
  poolMax?: number;
  logger?: Logger;
}

/** Connects to PostgreSQL by URL, or opens the embedded database. */
export async function connectDatabase(options: ConnectOptions): Promise<Database> {
  if (options.databaseUrl) {
    // Our own pool rather than the adapter's, so callTenantFunctionDirect can share its connections.
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolMax ?? 10 });
    // An idle connection's error (the server restarting) is emitted on the pool; unheard, it would
    // end the process. The adapter listens only while Prisma is connected; the next query reconnects.
    pool.on("error", (error) => options.logger?.warn({ err: error }, "database: an idle connection failed"));
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
    return createDatabase({
      kind: "postgres",
      prisma,
      pool,
      ...(options.logger && { logger: options.logger }),
      onClose: () => pool.end(),
    });
  }
  const pglite = await openEmbeddedPostgres(path.join(options.dataDir ?? ".data", "pglite"));
  return embeddedDatabase(pglite, options.logger);
}

/**
 * Opens (creating if needed) PGlite with pgvector, persisted in `dir`. PGlite is one connection:
 * keep every user of it in this process rather than exposing it over a socket to others.
 */
export async function openEmbeddedPostgres(dir: string | undefined): Promise<PGlite> {
  if (dir) await mkdir(dir, { recursive: true });
  const pglite = await PGlite.create({ ...(dir && { dataDir: dir }), extensions: { vector } });
  return pglite;
}

export function embeddedDatabase(pglite: PGlite, logger?: Logger): Database {
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return createDatabase({
    kind: "embedded",
    prisma,
    ...(logger && { logger }),
    onClose: () => pglite.close(),
  });
}
