import { EVENT_CATALOG, type DomainEvent, type EventData, type EventType } from "@devflow/contracts";
import type { Tx } from "@devflow/db";

export interface NewEvent<T extends EventType> {
  type: T;
  organizationId: string;
  data: EventData<T>;
}

/**
 * Writes an event to the transactional outbox, inside the caller's transaction: it is published if
 * and only if the change that caused it commits. Call it from the same withTenant as the change.
 * The payload is checked against the catalog here, so a malformed event fails its producer's
 * request instead of every consumer later.
 */
export async function recordEvent<T extends EventType>(tx: Tx, event: NewEvent<T>): Promise<string> {
  const entry = EVENT_CATALOG[event.type];
  const data = entry.data.parse(event.data);
  const row = await tx.outboxEvent.create({
    data: { organizationId: event.organizationId, type: event.type, version: entry.version, payload: data },
    select: { id: true },
  });
  return row.id;
}

/** An outbox row as the event handlers receive it. */
export function outboxRowToEvent(row: {
  id: string;
  organization_id: string;
  type: string;
  version: number;
  payload: unknown;
  created_at: Date;
}): DomainEvent {
  return {
    id: row.id,
    type: row.type as EventType,
    version: row.version,
    organizationId: row.organization_id,
    occurredAt: row.created_at.toISOString(),
    data: row.payload as DomainEvent["data"],
  };
}
