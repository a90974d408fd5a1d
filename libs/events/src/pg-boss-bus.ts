import { InvalidEventError, parseEvent, type DomainEvent } from "@devflow/contracts";
import type { Logger } from "@devflow/observability";
import PgBoss from "pg-boss";
import { BOSS_SCHEMA, DEAD_LETTER_SUFFIX, listDeadLetters, retryDeadLetter, transactionSql } from "./dead-letters";
import {
  DEFAULT_RETRY_POLICY,
  type DeadLetter,
  type DeadLetterHook,
  type EventBus,
  type EventHandler,
} from "./event-bus";

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
  /**
   * How often pg-boss's maintenance runs (expiring lost jobs among other things; default 120 s,
   * one instance at a time). A job lost with its worker is retried within expireInSeconds plus this.
   */
  maintenanceIntervalSeconds?: number;
  /**
   * Told of each event a handler failed on for the last time, right after pg-boss moved its job to
   * the dead-letter queue. A hook that throws is logged; the dead letter stays filed either way.
   * A job that expired on its last attempt is dead-lettered by pg-boss's maintenance instead, and
   * the hook does not hear of it.
   */
  onDeadLetter?: DeadLetterHook;
  logger?: Logger;
}

/**
 * The Postgres transport: one pg-boss queue per handler, fed through pg-boss's event
 * subscriptions, each with its retry policy (exponential backoff with jitter) and a dead-letter
 * queue (`<handler>__dead`). A job's id is its event's id, so a second publish of the same event
 * is dropped by the queue's primary key. Given the relay's transaction, the jobs are inserted in
 * it, so marking the outbox rows published and queueing their jobs commit together. A worker that
 * dies mid-job leaves it active until it expires; then pg-boss retries it.
 */
export function createPgBossEventBus(options: PgBossEventBusOptions): EventBus {
  const boss = new PgBoss({
    ...(options.db ? { db: options.db } : { connectionString: options.connectionString, max: options.poolMax ?? 4 }),
    schema: BOSS_SCHEMA,
    // The migration installed the schema; start() only checks its version.
    migrate: false,
    schedule: false,
    supervise: true,
    ...(options.maintenanceIntervalSeconds && { maintenanceIntervalSeconds: options.maintenanceIntervalSeconds }),
  });
  const logger = options.logger;
  boss.on("error", (error) => logger?.error({ err: error }, "event bus (pg-boss) error"));
  let started: Promise<unknown> | null = null;
  const ready = () => (started ??= boss.start());

  async function runJobs(handler: EventHandler, jobs: PgBoss.JobWithMetadata<unknown>[]) {
    // One at a time, each settled on its own: one failing event must not fail its batch-mates.
    for (const job of jobs) {
      try {
        await handler.handle(parseEvent(job.data) as DomainEvent<typeof handler.type>);
        await boss.complete(handler.name, job.id);
      } catch (error) {
        const message = (error instanceof Error ? error.message : String(error)).slice(0, 1_000);
        // retryCount is the attempts before this one (pg-boss counts from 0); retryLimit is the job's
        // own, so a dead letter an admin retried gets its fresh set (see retryDeadLetter).
        const isLastAttempt = job.retryCount >= job.retryLimit;
        logger?.warn(
          { handler: handler.name, eventId: job.id, attempt: job.retryCount + 1, err: error },
          error instanceof InvalidEventError
            ? "event rejected"
            : isLastAttempt
              ? "event handler failed on its last attempt; dead-lettered"
              : "event handler failed; it will be retried",
        );
        const failed = await failJob(handler.name, job.id, message);
        if (failed && isLastAttempt && job.deadLetter) {
          await reportDeadLetter({
            handler: handler.name,
            event: job.data as DomainEvent,
            attempts: job.retryCount + 1,
            error: message,
            failedAt: new Date().toISOString(),
          });
        }
      }
    }
  }

  /**
   * Records a failed attempt: pg-boss retries the job, or on its last attempt marks it failed and
   * files it in the dead-letter queue, in one statement. False when the job was not ours to fail
   * any more (it expired meanwhile and maintenance handled it), or the failure was not recorded.
   */
  async function failJob(name: string, id: string, message: string): Promise<boolean> {
    try {
      // pg-boss 10.4.2 resolves with { affected } although its typings say void.
      const response = (await boss.fail(name, id, { message })) as unknown as { affected?: number } | undefined;
      return (response?.affected ?? 1) > 0;
    } catch (failError) {
      // The job stays active and comes back when it expires; nothing is lost.
      logger?.error({ handler: name, eventId: id, err: failError }, "could not record a failed job");
      return false;
    }
  }

  async function reportDeadLetter(letter: DeadLetter): Promise<void> {
    if (!options.onDeadLetter) return;
    try {
      await options.onDeadLetter(letter);
    } catch (hookError) {
      logger?.error(
        { handler: letter.handler, eventId: letter.event.id, err: hookError },
        "the dead-letter hook failed; the dead letter itself is filed",
      );
    }
  }

  return {
    transport: "postgres",

    async publish(events, tx) {
      if (events.length === 0) return;
      await ready();
      const db = tx ? transactionSql(tx) : boss.getDb();
      const byType = new Map<string, DomainEvent[]>();
      for (const event of events) byType.set(event.type, [...(byType.get(event.type) ?? []), event]);
      for (const [type, ofType] of byType) {
        const { rows } = await db.executeSql(`SELECT name FROM ${BOSS_SCHEMA}.subscription WHERE event = $1`, [type]);
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
      const { maxAttempts, baseDelaySeconds, expireInSeconds } = {
        ...DEFAULT_RETRY_POLICY,
        ...handler.retry,
        ...policy,
      };
      const deadLetter = `${handler.name}${DEAD_LETTER_SUFFIX}`;
      const queue: Omit<PgBoss.Queue, "name"> = {
        retryLimit: maxAttempts - 1,
        retryDelay: baseDelaySeconds,
        retryBackoff: true,
        expireInSeconds: expireInSeconds ?? options.expireInSeconds ?? 900,
        deadLetter,
      };
      await boss.createQueue(deadLetter, { name: deadLetter, retentionDays: 30 });
      await boss.createQueue(handler.name, { name: handler.name, ...queue });
      // createQueue keeps an existing queue's settings; a changed policy applies from here on.
      await boss.updateQueue(handler.name, { name: handler.name, ...queue });
      await boss.subscribe(handler.type, handler.name);
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

    async listDeadLetters(organizationId, limit) {
      await ready();
      return listDeadLetters(boss.getDb(), organizationId, limit);
    },

    async retryDeadLetter(organizationId, handler, eventId) {
      await ready();
      return retryDeadLetter(boss.getDb(), organizationId, handler, eventId);
    },

    async close() {
      if (started) await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    },
  };
}
