import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { migrate, readMigrations, type MigrateResult } from "./migrate";
import { pgExecutor, pgliteExecutor } from "./sql-executor";

/** prisma/migrations at the repository root. */
export function defaultMigrationsDir(): string {
  return path.resolve(import.meta.dirname, "..", "..", "..", "prisma", "migrations");
}

/** Migrates a PostgreSQL server database. `ownerUrl` must be the schema owner, not the app role. */
export async function migratePostgres(ownerUrl: string, dir = defaultMigrationsDir()): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    return await migrate(pgExecutor(client), await readMigrations(dir));
  } finally {
    await client.end();
  }
}

/** Migrates the embedded database (its one connection is the owner). */
export async function migrateEmbedded(pglite: PGlite, dir = defaultMigrationsDir()): Promise<MigrateResult> {
  return migrate(pgliteExecutor(pglite), await readMigrations(dir));
}
