import "server-only";
import type { Database } from "@devflow/db";
import { createNotificationsService, type NotificationsService } from "@devflow/domain-notifications";
import { database } from "@/lib/services";

const built = new WeakMap<Database, NotificationsService>();

/**
 * The notifications service over the process's Database, built once per Database like
 * lib/services.ts builds the others (kept beside the feature, as ai-activity does, so it can move
 * into `services()` later without touching the routes).
 */
export async function notificationsService(): Promise<NotificationsService> {
  const db = await database();
  let found = built.get(db);
  if (!found) {
    found = createNotificationsService(db);
    built.set(db, found);
  }
  return found;
}
