import "server-only";
import { connectDatabase, type Database } from "@devflow/db";
import { createDocumentsService } from "@devflow/domain-documents";
import { createOrganizationsService } from "@devflow/domain-organizations";
import { createProjectsService } from "@devflow/domain-projects";
import { webConfig } from "./config";
import { webLogger } from "./logger";
import { DATABASE_KEY, DATABASE_PENDING_KEY, readGlobal, writeGlobal } from "./runtime-globals";

/**
 * The process's Database: the one the dev launcher (or server.ts) shared on globalThis, else one
 * connected now from the config and shared the same way, so every route bundle uses one pool — and,
 * for the embedded database, its single connection.
 */
export async function database(): Promise<Database> {
  const shared = readGlobal<Database>(DATABASE_KEY);
  if (shared) return shared;
  let pending = readGlobal<Promise<Database>>(DATABASE_PENDING_KEY);
  if (!pending) {
    const config = webConfig();
    pending = connectDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.DATA_DIR,
      poolMax: config.DATABASE_POOL_MAX,
      logger: webLogger(),
    }).then(
      (db) => writeGlobal(DATABASE_KEY, db) as Database,
      (error: unknown) => {
        writeGlobal(DATABASE_PENDING_KEY, undefined); // let the next request try again
        throw error;
      },
    );
    writeGlobal(DATABASE_PENDING_KEY, pending);
  }
  return pending;
}

export interface Services {
  organizations: ReturnType<typeof createOrganizationsService>;
  projects: ReturnType<typeof createProjectsService>;
  documents: ReturnType<typeof createDocumentsService>;
}

const built = new WeakMap<Database, Services>();

/** The domain services over the process's Database. They hold no state of their own beyond it. */
export async function services(): Promise<Services> {
  const db = await database();
  let found = built.get(db);
  if (!found) {
    found = {
      organizations: createOrganizationsService(db),
      projects: createProjectsService(db),
      documents: createDocumentsService(db),
    };
    built.set(db, found);
  }
  return found;
}
