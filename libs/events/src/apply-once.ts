import type { DomainEvent } from "@devflow/contracts";
import type { Database, Tx } from "@devflow/db";

/**
 * Runs a handler's database effect at most once per (handler, event): the marker row and the
 * effect commit together in one transaction of the event's organization, so a redelivery, a retry
 * after a crash or two deliveries at once find the marker and change nothing. Resolves false when
 * the event was already applied.
 *
 * Effects outside the database (an email, a Slack message) cannot join the transaction: do them
 * after a true result, and accept that a crash between the two means at most one repeat.
 */
export async function applyOnce(
  db: Database,
  handler: string,
  event: Pick<DomainEvent, "id" | "organizationId">,
  effect: (tx: Tx) => Promise<void>,
): Promise<boolean> {
  return db.withTenant({ organizationId: event.organizationId }, async (tx) => {
    const inserted = await tx.$executeRawUnsafe(
      `INSERT INTO processed_events (organization_id, handler, event_id) VALUES ($1::uuid, $2, $3::uuid)
       ON CONFLICT DO NOTHING`,
      event.organizationId,
      handler,
      event.id,
    );
    if (inserted === 0) return false;
    await effect(tx);
    return true;
  });
}
