import { randomBytes } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { connectDatabase, embeddedDatabase, openEmbeddedPostgres } from "../connect";
import { withDatabaseName, withRole } from "../connection-url";
import { APP_ROLE, type Database } from "../database";
import { migrateEmbedded, migratePostgres } from "../run-migrations";
import { pgExecutor, pgliteExecutor, type SqlExecutor } from "../sql-executor";
import { EMBEDDED_SNAPSHOT_ENV, openEmbeddedFromSnapshot } from "./embedded-snapshot";

export type TestDatabaseTarget = "postgres" | "embedded";

export interface TestDatabase extends AsyncDisposable {
  target: TestDatabaseTarget;
  /** Connected as the RLS-bound app role: what the apps use. */
  db: Database;
  /** Connected as the owner, for arranging fixtures and inspecting the catalog. Bypasses nothing
   * by itself: tables FORCE row-level security, so owner queries still need a tenant set. */
  owner: SqlExecutor;
  /** The app role's URL (postgres target only), for apps started by a test. */
  appUrl?: string;
  /** The embedded database itself (embedded target only), for code that takes a PGlite. */
  pglite?: PGlite;
  drop(): Promise<void>;
}

/** Which database integration tests run against: DEVFLOW_TEST_DB=embedded|postgres (default postgres). */
export function testDatabaseTarget(): TestDatabaseTarget {
  return process.env.DEVFLOW_TEST_DB === "embedded" ? "embedded" : "postgres";
}

/** The server integration tests create their databases on; must be a role that can CREATE DATABASE. */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

/**
 * A fresh, migrated database for one test file: a new database on the test server (dropped after),
 * or an in-memory embedded one. The app role gets LOGIN on the test server so the suite connects
 * exactly as the apps do: not superuser, not BYPASSRLS.
 */
export async function createTestDatabase(target: TestDatabaseTarget = testDatabaseTarget()): Promise<TestDatabase> {
  return target === "embedded" ? createEmbedded() : createOnServer();
}

async function createEmbedded(): Promise<TestDatabase> {
  // The project's global setup leaves a migrated snapshot; without it (a file run on its own
  // outside that project) create and migrate from scratch.
  const snapshot = process.env[EMBEDDED_SNAPSHOT_ENV];
  const pglite = snapshot ? await openEmbeddedFromSnapshot(snapshot) : await openEmbeddedPostgres(undefined);
  if (!snapshot) await migrateEmbedded(pglite);
  const db = embeddedDatabase(pglite);
  const drop = () => db.close();
  return { target: "embedded", db, owner: pgliteExecutor(pglite), pglite, drop, [Symbol.asyncDispose]: drop };
}

async function createOnServer(): Promise<TestDatabase> {
  const serverUrl = testServerUrl();
  const name = `devflow_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();

  const ownerUrl = withDatabaseName(serverUrl, name);
  await migratePostgres(ownerUrl);

  const ownerClient = new pg.Client({ connectionString: ownerUrl });
  await ownerClient.connect();
  // The migration creates the role NOLOGIN; deployments give it a login, and so does the suite.
  await allowAppRoleLogin(ownerClient);
  const appUrl = withDatabaseName(withRole(serverUrl, APP_ROLE, process.env.TEST_APP_DATABASE_PASSWORD), name);
  const db = await connectDatabase({ databaseUrl: appUrl, poolMax: 5 });

  const drop = async () => {
    await db.close();
    await ownerClient.end();
    const cleanup = new pg.Client({ connectionString: serverUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await cleanup.end();
  };
  return { target: "postgres", db, owner: pgExecutor(ownerClient), appUrl, drop, [Symbol.asyncDispose]: drop };
}

/**
 * Roles are cluster-wide, and parallel test files (or another suite on the same server) may grant
 * the login at the same moment; PostgreSQL then fails one of them with "tuple concurrently updated".
 * Granting only when needed, and retrying that one error, keeps test start-up race-free.
 */
async function allowAppRoleLogin(client: pg.Client): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const { rows } = await client.query<{ rolcanlogin: boolean }>(
      "SELECT rolcanlogin FROM pg_roles WHERE rolname = $1",
      [APP_ROLE],
    );
    if (rows[0]?.rolcanlogin) return;
    try {
      await client.query(`ALTER ROLE ${APP_ROLE} LOGIN`);
      return;
    } catch (error) {
      if (attempt >= 5 || !/tuple concurrently updated/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    }
  }
}
