import type { Tx } from "@devflow/db";
import { z } from "zod";

/**
 * The PostgreSQL channel a stored notification is announced on. The worker stores notifications
 * and collab holds the sockets: they are separate processes, and the database both already share
 * carries the signal (`pg_notify` in the inserting transaction, `LISTEN` in collab).
 */
export const NOTIFICATION_CHANNEL = "devflow_notifications";

/**
 * What travels on the channel: ids only. NOTIFY payloads bypass row-level security (any session
 * that listens gets them), so the listener reads the notification itself under the organization.
 */
export const NotificationSignalSchema = z.object({
  organizationId: z.uuid(),
  userId: z.uuid(),
  notificationId: z.uuid(),
});
export type NotificationSignal = z.infer<typeof NotificationSignalSchema>;

/**
 * Announces a stored notification, inside the transaction that stores it: PostgreSQL delivers
 * NOTIFY only when (and if) that transaction commits, so listeners never hear of a row they cannot
 * read yet, nor of one that was rolled back.
 */
export async function signalNotification(tx: Tx, signal: NotificationSignal): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${NOTIFICATION_CHANNEL}, ${JSON.stringify(signal)})`;
}

/** The signal in a NOTIFY payload, or null for anything else (a payload is never trusted blindly). */
export function parseNotificationSignal(payload: string | undefined): NotificationSignal | null {
  if (!payload) return null;
  try {
    const parsed = NotificationSignalSchema.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
