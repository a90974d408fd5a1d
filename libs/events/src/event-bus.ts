import type { DomainEvent, EventType } from "@devflow/contracts";
import type { Tx } from "@devflow/db";

/** One consumer of one event type. */
export interface EventHandler<T extends EventType = EventType> {
  /**
   * Stable and unique: the name of the handler's queue (or Pub/Sub subscription) and, with the
   * event id, its idempotency key. Renaming a handler starts it on a new, empty queue.
   */
  name: string;
  type: T;
  /** Applies the event. Throwing schedules a retry; see RetryPolicy. Must be idempotent (applyOnce). */
  handle(event: DomainEvent<T>): Promise<void>;
  /** The handler's own retry policy, over the default; a policy given to `subscribe` overrides both. */
  retry?: Partial<RetryPolicy>;
}

/** How a handler's failures are retried before its event is dead-lettered. */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 5). */
  maxAttempts: number;
  /** The first retry's delay in seconds; each later one doubles it, with random jitter (default 5). */
  baseDelaySeconds: number;
  /**
   * How long one delivery may run before it is presumed lost with its worker and delivered again
   * (pg-boss's job expiry; the bus's own setting, 15 min by default, when absent). On Pub/Sub the
   * subscription's ack deadline, kept extended by the client while the handler runs, plays this part.
   */
  expireInSeconds?: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelaySeconds: 5 };

/** An event that exhausted its handler's attempts, as an admin sees it. */
export interface DeadLetter {
  handler: string;
  event: DomainEvent;
  attempts: number;
  /** The last attempt's error message (never a stack). */
  error: string | null;
  failedAt: string;
}

/**
 * Told of each dead letter right after the bus files it (a bus option of both transports), e.g. to
 * notify the organization's admins. The dead letter is already stored: a hook that throws is
 * logged by the bus and changes nothing else. Not transactional with the filing: a worker that
 * dies between the two files the dead letter without telling the hook.
 */
export type DeadLetterHook = (letter: DeadLetter) => Promise<void>;

export interface EventPublisher {
  /**
   * Hands events to every handler subscribed to their types. Resolves only when each is stored
   * durably for each handler; publishing an event again is harmless (its id deduplicates it).
   * With `tx`, a transport that stores in Postgres stores them in that transaction (committed
   * with it, or not at all); others ignore it.
   */
  publish(events: readonly DomainEvent[], tx?: Tx): Promise<void>;
}

export interface EventBus extends EventPublisher {
  readonly transport: "postgres" | "pubsub";
  /** Registers a handler and starts delivering its events to it. */
  subscribe(handler: EventHandler, policy?: Partial<RetryPolicy>): Promise<void>;
  /** Dead letters of one organization, newest first. */
  listDeadLetters(organizationId: string, limit?: number): Promise<DeadLetter[]>;
  /**
   * Gives a dead-lettered event back to its handler, with a fresh set of attempts. False when
   * there is no such dead letter in this organization (already retried, or another's).
   */
  retryDeadLetter(organizationId: string, handler: string, eventId: string): Promise<boolean>;
  /** Stops taking new work, waits for the handlers running now, and closes connections. */
  close(): Promise<void>;
}
