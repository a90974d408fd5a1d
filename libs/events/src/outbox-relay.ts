import type { Database } from "@devflow/db";
import type { Logger } from "@devflow/observability";
import type { EventPublisher } from "./event-bus";
import { outboxRowToEvent } from "./outbox";

export interface OutboxRelayOptions {
  /** Events moved per transaction (default 100). */
  batchSize?: number;
  /** How long to wait before looking again when the outbox was empty (default 250 ms). */
  idleMs?: number;
  /** The longest wait after failures, which double the wait from idleMs (default 30 s). */
  maxBackoffMs?: number;
  logger?: Logger;
}

export interface OutboxRelay {
  /** Moves one batch; resolves with how many events it published. */
  relayOnce(): Promise<number>;
  /** Relays continuously until stop(). */
  start(): void;
  /** Finishes the batch in flight and stops. */
  stop(): Promise<void>;
}

interface OutboxRow {
  id: string;
  organization_id: string;
  type: string;
  version: number;
  payload: unknown;
  created_at: Date;
}

/**
 * Moves committed events from the outbox to the bus. The rows of a batch stay locked (FOR UPDATE
 * SKIP LOCKED, so several relays share the work) until the bus has stored every event, and are
 * marked published in the same transaction: a crash before the commit leaves them to be published
 * again, which the bus deduplicates by event id. Nothing is marked published that the bus did not
 * accept. The Postgres transport queues the jobs in this same transaction, so for it the hand-over
 * is exactly once (and embedded PGlite, one connection, is never asked for a second one meanwhile).
 */
export function createOutboxRelay(db: Database, bus: EventPublisher, options: OutboxRelayOptions = {}): OutboxRelay {
  const batchSize = options.batchSize ?? 100;
  const idleMs = options.idleMs ?? 250;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;

  async function relayOnce(): Promise<number> {
    let failed: { ids: string[]; error: unknown } | null = null;
    const moved = await db.withSystem("outbox relay: publishes every organization's committed events", async (tx) => {
      const rows = await tx.$queryRawUnsafe<OutboxRow[]>(
        `SELECT id::text AS id, organization_id::text AS organization_id, type, version, payload, created_at
           FROM outbox_events
          WHERE published_at IS NULL
          ORDER BY created_at
          LIMIT $1
          FOR UPDATE SKIP LOCKED`,
        batchSize,
      );
      if (rows.length === 0) return 0;
      const ids = rows.map((r) => r.id);
      try {
        await bus.publish(rows.map(outboxRowToEvent), tx);
      } catch (error) {
        failed = { ids, error };
        return 0;
      }
      await tx.$executeRawUnsafe(
        `UPDATE outbox_events SET published_at = now(), attempts = attempts + 1, last_error = NULL
          WHERE id = ANY($1::uuid[])`,
        ids,
      );
      return rows.length;
    });
    if (failed) {
      const { ids, error } = failed as { ids: string[]; error: unknown };
      // After the batch's transaction, whose row locks this update would otherwise wait on.
      await db.withSystem("outbox relay: records a failed publish", (tx) =>
        tx.$executeRawUnsafe(
          `UPDATE outbox_events SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::uuid[])`,
          ids,
          (error instanceof Error ? error.message : String(error)).slice(0, 1_000),
        ),
      );
      throw error;
    }
    return moved;
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });

  async function run() {
    let failures = 0;
    while (running) {
      try {
        const moved = await relayOnce();
        failures = 0;
        if (moved < batchSize) await sleep(idleMs);
      } catch (error) {
        failures++;
        const wait = Math.min(maxBackoffMs, idleMs * 2 ** failures);
        options.logger?.error({ err: error, failures, retryInMs: wait }, "outbox relay: publishing failed");
        await sleep(wait);
      }
    }
  }

  return {
    relayOnce,
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      loop = null;
    },
  };
}
