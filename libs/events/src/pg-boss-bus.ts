import { InvalidEventError, parseEvent, type DomainEvent } from "@devflow/contracts";
import type { Tx } from "@devflow/db";
import type { Logger } from "@devflow/observability";
import PgBoss from "pg-boss";
import { DEFAULT_RETRY_POLICY, type DeadLetter, type EventBus, type EventHandler, type RetryPolicy } from "./event-bus";

/** pg-boss's schema, installed by migration 20261130050526_event_bus (apps never create it). */
const SCHEMA = "pgboss";
const DEAD_LETTER_SUFFIX = "__dead";

export interface PgBossEventBusOptions {
  /** PostgreSQL URL (the app role). Or `db`, a connection of your own, e.g. embedded PGlite. */
  connectionString?: string;
  db?: PgBoss.Db;
  /** Connections pg-boss may open (default 4). */
  poolMax?: number;
  /** How often an idle handler looks for work, in seconds (default 0.5, pg-boss's minimum). */
  pollingIntervalSeconds?: number;
  /** Jobs a handler takes at once; they run one after another (default 10). */
  batchSize?: number;
  /** A job running longer than this is presumed lost with its worker and retried (default 15 min). */
  expireInSeconds?: number;
  logger?: Logger;
}

/**
 * The Postgres transport: one pg-boss queue per handler, fed through pg-boss's event
 * subscriptions, each with its retry policy (exponential backoff with jitter) and a dead-letter
 * queue (`<handler>__dead`). A job's id is its event's id, so a second publish of the same event
 * is dropped by the queue's primary key. Given the relay's transaction, the jobs are inserted in it,
 * so marking the outbox rows published and queueing their jobs commit together. A worker that dies mid-job leaves it active until it
 * expires; then pg-boss retries it.
 */
export function createPgBossEventBus(options: PgBossEventBusOptions): EventBus {
  const boss = new PgBoss({
    ...(options.db ? { db: options.db } : { connectionString: options.connectionString, max: options.poolMax ?? 4 }),
    schema: SCHEMA,
    // The migration installed the schema; start() only checks its version.
    migrate: false,
    schedule: false,
    supervise: true,
  });
  const logger = options.logger;
  boss.on("error", (error) => logger?.error({ err: error }, "event bus (pg-boss) error"));
  const policies = new Map<string, RetryPolicy>();
  let started: Promise<unknown> | null = null;
  const ready = () => (started ??= boss.start());

  async function runJobs(handler: EventHandler, jobs: PgBoss.JobWithMetadata<unknown>[]) {
    // One at a time, each settled on its own: one failing event must not fail its batch-mates.
    for (const job of jobs) {
      try {
        await handler.handle(parseEvent(job.data) as DomainEvent<typeof handler.type>);
        await boss.complete(handler.name, job.id);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        logger?.warn(
          { handler: handler.name, eventId: job.id, attempt: job.retryCount + 1, err: error },
          error instanceof InvalidEventError ? "event rejected" : "event handler failed; it will be retried",
        );
        await boss.fail(handler.name, job.id, { message: message.slice(0, 1_000) });
      }
    }
  }

  return {
    transport: "postgres",

    async publish(events, tx) {
      if (events.length === 0) return;
      await ready();
      const db = tx ? transactionDb(tx) : boss.getDb();
      const byType = new Map<string, DomainEvent[]>();
      for (const event of events) byType.set(event.type, [...(byType.get(event.type) ?? []), event]);
      for (const [type, ofType] of byType) {
        const { rows } = await db.executeSql(`SELECT name FROM ${SCHEMA}.subscription WHERE event = $1`, [type]);
        for (const { name } of rows as { name: string }[]) {
          await boss.insert(
            ofType.map((event) => ({ id: event.id, name, data: event })),
            { db },
          );
        }
      }
    },

    async subscribe(handler, policy) {
      await ready();
      const { maxAttempts, baseDelaySeconds } = { ...DEFAULT_RETRY_POLICY, ...policy };
      const deadLetter = `${handler.name}${DEAD_LETTER_SUFFIX}`;
      const queue: Omit<PgBoss.Queue, "name"> = {
        retryLimit: maxAttempts - 1,
        retryDelay: baseDelaySeconds,
        retryBackoff: true,
        expireInSeconds: options.expireInSeconds ?? 900,
        deadLetter,
      };
      await boss.createQueue(deadLetter, { name: deadLetter, retentionDays: 30 });
      await boss.createQueue(handler.name, { name: handler.name, ...queue });
      // createQueue keeps an existing queue's settings; a changed policy applies from here on.
      await boss.updateQueue(handler.name, { name: handler.name, ...queue });
      await boss.subscribe(handler.type, handler.name);
      policies.set(handler.name, { maxAttempts, baseDelaySeconds });
      await boss.work(
        handler.name,
        {
          batchSize: options.batchSize ?? 10,
          includeMetadata: true,
          pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5,
        },
        (jobs) => runJobs(handler, jobs),
      );
    },

    async listDeadLetters(organizationId, limit = 50) {
      await ready();
      const { rows } = await boss.getDb().executeSql(
        `SELECT left(d.name, -${DEAD_LETTER_SUFFIX.length}) AS handler, d.data, d.created_on AS failed_at,
                f.output, f.retry_count
           FROM ${SCHEMA}.job d
           LEFT JOIN ${SCHEMA}.job f
             ON f.name = left(d.name, -${DEAD_LETTER_SUFFIX.length}) AND f.id = (d.data->>'id')::uuid
          WHERE d.name LIKE '%${DEAD_LETTER_SUFFIX}' AND d.state = 'created'
            AND d.data->>'organizationId' = $1
          ORDER BY d.created_on DESC
          LIMIT $2`,
        [organizationId, Math.min(Math.max(limit, 1), 200)],
      );
      return (rows as DeadLetterRow[]).map(toDeadLetter);
    },

    async retryDeadLetter(organizationId, handler, eventId) {
      await ready();
      const policy = policies.get(handler) ?? DEFAULT_RETRY_POLICY;
      // One statement: the dead letter goes and its failed job is rescheduled, or neither.
      const { rows } = await boss.getDb().executeSql(
        `WITH letter AS (
           DELETE FROM ${SCHEMA}.job
            WHERE name = $1 AND state = 'created' AND data->>'id' = $3 AND data->>'organizationId' = $4
           RETURNING data
         ), revived AS (
           UPDATE ${SCHEMA}.job
              SET state = 'retry', retry_limit = retry_count + $5, start_after = now(), output = NULL
            WHERE name = $2 AND id = $3::uuid AND state = 'failed' AND EXISTS (SELECT 1 FROM letter)
           RETURNING 1
         )
         SELECT (SELECT data FROM letter LIMIT 1) AS data, (SELECT count(*) FROM revived)::int AS revived`,
        [`${handler}${DEAD_LETTER_SUFFIX}`, handler, eventId, organizationId, policy.maxAttempts],
      );
      const { data, revived } = rows[0] as { data: DomainEvent | null; revived: number };
      if (data && revived === 0) {
        // The failed job was archived meanwhile: the event goes to its handler's queue afresh.
        await boss.insert([{ id: eventId, name: handler, data, retryLimit: policy.maxAttempts - 1 }]);
      }
      return data !== null;
    },

    async close() {
      if (started) await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    },
  };
}

/** pg-boss statements run inside a caller's Prisma transaction (one statement each, with parameters). */
function transactionDb(tx: Tx): PgBoss.Db {
  return {
    async executeSql(text, values) {
      return { rows: await tx.$queryRawUnsafe<unknown[]>(text, ...(values ?? [])) };
    },
  };
}

interface DeadLetterRow {
  handler: string;
  data: unknown;
  failed_at: Date;
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
