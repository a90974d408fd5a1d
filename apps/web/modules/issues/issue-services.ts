import "server-only";
import type { Database } from "@devflow/db";
import { createProjectIssuesService, type ProjectIssuesService } from "@devflow/domain-triage";
import { database } from "@/lib/services";

const built = new WeakMap<Database, ProjectIssuesService>();

/** The project issues service over the process's Database, built once per Database (as dora-services.ts). */
export async function projectIssuesService(): Promise<ProjectIssuesService> {
  const db = await database();
  let found = built.get(db);
  if (!found) {
    found = createProjectIssuesService(db);
    built.set(db, found);
  }
  return found;
}
