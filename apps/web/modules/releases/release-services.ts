import "server-only";
import type { Database } from "@devflow/db";
import { createReleaseReadinessService, type ReleaseReadinessService } from "@devflow/domain-release-readiness";
import { database } from "@/lib/services";

const built = new WeakMap<Database, ReleaseReadinessService>();

/** The release readiness service over the process's Database, built once per Database (as dora-services.ts). */
export async function releaseReadinessService(): Promise<ReleaseReadinessService> {
  const db = await database();
  let found = built.get(db);
  if (!found) {
    found = createReleaseReadinessService(db);
    built.set(db, found);
  }
  return found;
}
