import "server-only";
import type { Database } from "@devflow/db";
import { createDoraService, type DoraService } from "@devflow/domain-dora";
import { database } from "@/lib/services";

const built = new WeakMap<Database, DoraService>();

/**
 * The DORA service over the process's Database, built once per Database like lib/services.ts
 * builds the others (kept beside the feature, as the AI activity page keeps its services).
 */
export async function doraService(): Promise<DoraService> {
  const db = await database();
  let found = built.get(db);
  if (!found) {
    found = createDoraService(db);
    built.set(db, found);
  }
  return found;
}
