import type { DomainEvent } from "@devflow/contracts";
import type { Tx } from "@devflow/db";
import type { DeadLetter } from "./event-bus";

/** pg-boss's schema, installed by migration 20261130050526_event_bus (apps never create it). */
export const BOSS_SCHEMA = "pgboss";
/** A handler's dead-letter queue is `<handler>__dead`. */
export const DEAD_LETTER_SUFFIX = "__dead";

/** What these queries need: pg-boss's own connection, or a transaction of ours (transactionSql). */
export interface SqlRunner {
  executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

/** Statements inside a Prisma transaction (one statement each, with parameters). */
export function transactionSql(tx: Tx): SqlRunner {
  return {
    async executeSql(text, values) {
      return { rows: await tx.$queryRawUnsafe<unknown[]>(text, ...(values ?? [])) };
    },
  };
}

/**
 * One organization's dead letters, newest first: events whose handler failed on every attempt.
 * The queue tables are outside row-level security, so the organization filter here is the only
 * one: it matches the event's own organizationId, which the outbox set from the tenant context.
 */
export async function listDeadLetters(sql: SqlRunner, organizationId: string, limit = 50): Promise<DeadLetter[]> {
  const { rows } = await sql.executeSql(
    `SELECT left(d.name, -${DEAD_LETTER_SUFFIX.length}) AS handler, d.data, d.created_on AS failed_at,
            f.output, f.retry_count
       FROM ${BOSS_SCHEMA}.job d
       LEFT JOIN ${BOSS_SCHEMA}.job f
         ON f.name = left(d.name, -${DEAD_LETTER_SUFFIX.length}) AND f.id = (d.data->>'id')::uuid
      WHERE d.name LIKE '%${DEAD_LETTER_SUFFIX}' AND d.state = 'created'
        AND d.data->>'organizationId' = $1
      ORDER BY d.created_on DESC
      LIMIT $2`,
    [organizationId, Math.min(Math.max(limit, 1), 200)],
  );
  return (rows as DeadLetterRow[]).map(toDeadLetter);
}

/**
 * Gives a dead-lettered event back to its handler with a fresh set of attempts (the queue's
 * retry limit): the dead letter is removed and the failed job rescheduled in one statement, or,
 * when the failed job was archived meanwhile, the event is queued afresh. False when this
 * organization has no such dead letter (already retried, or another organization's).
 */
export async function retryDeadLetter(
  sql: SqlRunner,
  organizationId: string,
  handler: string,
  eventId: string,
): Promise<boolean> {
  const { rows } = await sql.executeSql(
    `WITH letter AS (
       DELETE FROM ${BOSS_SCHEMA}.job
        WHERE name = $1 AND state = 'created' AND data->>'id' = $3 AND data->>'organizationId' = $4
       RETURNING data
     ), queue AS (
       SELECT retry_limit, retry_delay, retry_backoff, dead_letter FROM ${BOSS_SCHEMA}.queue WHERE name = $2
     ), revived AS (
       UPDATE ${BOSS_SCHEMA}.job j
          SET state = 'retry', retry_limit = j.retry_count + 1 + q.retry_limit, start_after = now(), output = NULL
         FROM queue q
        WHERE j.name = $2 AND j.id = $3::uuid AND j.state = 'failed' AND EXISTS (SELECT 1 FROM letter)
       RETURNING 1
     ), requeued AS (
       INSERT INTO ${BOSS_SCHEMA}.job (id, name, data, retry_limit, retry_delay, retry_backoff, dead_letter)
       SELECT $3::uuid, $2, l.data, q.retry_limit, q.retry_delay, q.retry_backoff, q.dead_letter
         FROM letter l, queue q
        WHERE NOT EXISTS (SELECT 1 FROM revived)
       ON CONFLICT DO NOTHING
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM letter)::int AS letters`,
    [`${handler}${DEAD_LETTER_SUFFIX}`, handler, eventId, organizationId],
  );
  return (rows[0] as { letters: number }).letters > 0;
}

interface DeadLetterRow {
  handler: string;
  data: unknown;
  failed_at: Date | string;
  output: { message?: string } | null;
  retry_count: number | null;
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    handler: row.handler,
    event: row.data as DomainEvent,
    attempts: (row.retry_count ?? 0) + 1,
    error: row.output?.message ?? null,
    failedAt: new Date(row.failed_at).toISOString(),
  };
}
