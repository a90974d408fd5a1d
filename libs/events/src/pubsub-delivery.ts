import { parseEvent, type DomainEvent } from "@devflow/contracts";
import type { Database } from "@devflow/db";
import type { Logger } from "@devflow/observability";
import type { DeadLetter, DeadLetterHook, EventHandler, RetryPolicy } from "./event-bus";

/*
 * Delivering one Pub/Sub message to one handler, the same whether the bus pulled it or Cloud Run
 * had it pushed (pubsub-push.ts): parse, handle, and on the last failed attempt file it as a dead
 * letter in its organization's event_dead_letters, telling the dead-letter hook.
 */

/** Message attributes; Pub/Sub filters can only see these, never the data. */
export const PUBSUB_ATTRIBUTES = {
  eventId: "eventId",
  eventType: "eventType",
  organizationId: "organizationId",
  /** Present only on an admin's retry: the one handler that should receive it. */
  handler: "handler",
} as const;

/** Set by Pub/Sub on a message its dead-letter policy forwarded: how many deliveries failed. */
const FORWARDED_ATTEMPTS = "CloudPubSubDeadLetterSourceDeliveryCount";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

/** One message as either path receives it: streaming pull here, or a push request (pubsub-push.ts). */
export interface PubSubDelivery {
  messageId: string;
  data: Buffer;
  attributes: Record<string, string>;
  /** Pub/Sub's count from 1; 0 when the subscription has no dead-letter policy (then never dead-lettered here). */
  deliveryAttempt: number;
}

export type DeliveryResult =
  /** Applied, meant for another handler, filed as a dead letter, or given up on: acknowledge it. */
  | { outcome: "handled" | "skipped" | "dead-lettered" | "dropped" }
  /** Failed, attempts left (or it could not be filed): redeliver after the backoff. */
  | { outcome: "retry"; attempt: number; error: unknown }
  /**
   * Not an event, and nothing says whose it is, so it cannot be filed under an organization:
   * nacked, it goes to the dead-letter topic after Pub/Sub's maxDeliveryAttempts, and from there
   * only to the log (fileForwardedDeadLetter).
   */
  | { outcome: "rejected"; error: unknown };

interface DeliveryContext {
  db: Database;
  policy: RetryPolicy;
  logger?: Logger | undefined;
  /** Told of each dead letter once it is filed (see PubSubEventBusOptions.onDeadLetter). */
  onDeadLetter?: DeadLetterHook | undefined;
}

type FilingContext = Pick<DeliveryContext, "db" | "logger" | "onDeadLetter">;

/**
 * One delivery of a handler's subscription, whichever way it came: parsed, handled, and on its
 * last failed attempt filed as a dead letter. An event that fails parsing is filed at once, since
 * retrying cannot fix it. Never throws; the result says whether to ack.
 */
export async function deliverToHandler(
  handler: EventHandler,
  delivery: PubSubDelivery,
  context: DeliveryContext,
): Promise<DeliveryResult> {
  const { db, policy, logger } = context;
  const target = delivery.attributes[PUBSUB_ATTRIBUTES.handler];
  if (target !== undefined && target !== handler.name) return { outcome: "skipped" };
  const attempt = Math.max(1, delivery.deliveryAttempt);
  const log = { handler: handler.name, messageId: delivery.messageId, attempt };

  let event: DomainEvent;
  try {
    event = parseEvent(JSON.parse(delivery.data.toString("utf8")));
  } catch (error) {
    logger?.error({ ...log, err: error }, "event rejected: not an event of the catalog");
    return fileUndeliverable(context, handler.name, delivery, attempt, errorMessage(error));
  }
  try {
    await handler.handle(event as DomainEvent<typeof handler.type>);
    return { outcome: "handled" };
  } catch (error) {
    if (attempt < policy.maxAttempts) {
      logger?.warn({ ...log, eventId: event.id, err: error }, "event handler failed; it will be retried");
      return { outcome: "retry", attempt, error };
    }
    const letter = { handler: handler.name, event, attempts: attempt, error: errorMessage(error) };
    let isNew: boolean;
    try {
      isNew = await storeDeadLetter(db, { ...letter, eventId: event.id, organizationId: event.organizationId });
    } catch (storeError) {
      logger?.error({ ...log, eventId: event.id, err: storeError }, "could not file a dead letter; it will be retried");
      return { outcome: "retry", attempt, error: storeError };
    }
    logger?.error({ ...log, eventId: event.id, err: error }, "event handler failed on its last attempt; dead-lettered");
    if (isNew) await reportDeadLetter(context, { ...letter, failedAt: new Date().toISOString() });
    return { outcome: "dead-lettered" };
  }
}

/** A message Pub/Sub's own dead-letter policy forwarded to a handler's dead-letter topic: filed like the bus's own. */
export async function fileForwardedDeadLetter(
  handler: string,
  delivery: PubSubDelivery,
  context: FilingContext,
): Promise<DeliveryResult> {
  const attempts = Number(delivery.attributes[FORWARDED_ATTEMPTS]) || delivery.deliveryAttempt;
  const error = `Pub/Sub gave up after ${attempts} delivery attempts without an answer from the handler`;
  const result = await fileUndeliverable(context, handler, delivery, attempts, error);
  if (result.outcome === "rejected") {
    // The end of the line: there is no organization to file it under.
    context.logger?.error(
      { handler, messageId: delivery.messageId, attributes: delivery.attributes },
      "dropped an unattributable dead letter",
    );
    return { outcome: "dropped" };
  }
  return result;
}

/** Files a delivery as a dead letter under the organization it names; "rejected" when it names none. */
async function fileUndeliverable(
  context: FilingContext,
  handler: string,
  delivery: PubSubDelivery,
  attempts: number,
  error: string,
): Promise<DeliveryResult> {
  const { db, logger } = context;
  const text = delivery.data.toString("utf8");
  let raw: unknown = text;
  try {
    raw = JSON.parse(text);
  } catch {
    // Kept as the string it is.
  }
  const envelope = (typeof raw === "object" && raw !== null ? raw : {}) as Partial<DomainEvent>;
  const eventId = envelope.id ?? delivery.attributes[PUBSUB_ATTRIBUTES.eventId];
  const organizationId = envelope.organizationId ?? delivery.attributes[PUBSUB_ATTRIBUTES.organizationId];
  if (!eventId || !organizationId || !UUID.test(eventId) || !UUID.test(organizationId)) {
    return { outcome: "rejected", error: new Error(error) };
  }
  let isNew: boolean;
  try {
    isNew = await storeDeadLetter(db, { handler, eventId, organizationId, event: raw, attempts, error });
  } catch (storeError) {
    logger?.error({ handler, eventId, err: storeError }, "could not file a dead letter; it will be retried");
    return { outcome: "retry", attempt: attempts, error: storeError };
  }
  if (isNew) {
    // The hook hears of the event as far as it could be read, under the id and organization it was filed by.
    const type = envelope.type ?? delivery.attributes[PUBSUB_ATTRIBUTES.eventType];
    const event = { ...envelope, id: eventId, organizationId, ...(type !== undefined && { type }) } as DomainEvent;
    await reportDeadLetter(context, { handler, event, attempts, error, failedAt: new Date().toISOString() });
  }
  return { outcome: "dead-lettered" };
}

/**
 * Files (or refreshes) a dead letter in its organization's event_dead_letters. True when it was
 * not filed yet: a refresh (the same letter again, its ack lost) is not news for the hook.
 */
async function storeDeadLetter(
  db: Database,
  letter: { handler: string; eventId: string; organizationId: string; event: unknown; attempts: number; error: string },
): Promise<boolean> {
  const [row] = await db.withTenant({ organizationId: letter.organizationId }, (tx) =>
    // xmax is 0 on a row this statement inserted, and set on one it updated.
    tx.$queryRawUnsafe<{ inserted: boolean }[]>(
      `INSERT INTO event_dead_letters (organization_id, handler, event_id, event, attempts, error)
       VALUES ($1::uuid, $2, $3::uuid, $4::jsonb, $5, $6)
       ON CONFLICT (handler, event_id) DO UPDATE
         SET event = EXCLUDED.event, attempts = EXCLUDED.attempts, error = EXCLUDED.error, failed_at = EXCLUDED.failed_at
       RETURNING (xmax = 0) AS inserted`,
      letter.organizationId,
      letter.handler,
      letter.eventId,
      JSON.stringify(letter.event),
      letter.attempts,
      letter.error.slice(0, 1_000),
    ),
  );
  return row?.inserted === true;
}

/** Tells the hook of a dead letter just filed; its failure is logged and changes nothing else. */
async function reportDeadLetter(context: FilingContext, letter: DeadLetter): Promise<void> {
  if (!context.onDeadLetter) return;
  try {
    await context.onDeadLetter({ ...letter, error: letter.error?.slice(0, 1_000) ?? null });
  } catch (hookError) {
    context.logger?.error(
      { handler: letter.handler, eventId: letter.event.id, err: hookError },
      "the dead-letter hook failed; the dead letter itself is filed",
    );
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
