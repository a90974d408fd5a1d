import { parseEvent, type DomainEvent } from "@devflow/contracts";
import type { Database } from "@devflow/db";

/*
 * For the integration tests: they deliver events to the runner by hand, in order and as often as
 * they like (a redelivery, two at once), instead of waiting on a bus.
 */

export type RunRequested = DomainEvent<"workflow.run_requested">;

/** The `workflow.run_requested` events recorded for a run, oldest first, as a handler receives them. */
export async function requestedEvents(db: Database, organizationId: string, runId: string): Promise<RunRequested[]> {
  const rows = await db.withTenant({ organizationId }, (tx) =>
    tx.outboxEvent.findMany({
      where: { type: "workflow.run_requested" },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
  );
  return rows
    .filter((row) => (row.payload as { runId?: string }).runId === runId)
    .map(
      (row) =>
        parseEvent({
          id: row.id,
          type: row.type,
          version: row.version,
          organizationId: row.organizationId,
          occurredAt: row.createdAt.toISOString(),
          data: row.payload,
        }) as RunRequested,
    );
}

/** A promise to settle from outside, to hold a step at a known point. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}
