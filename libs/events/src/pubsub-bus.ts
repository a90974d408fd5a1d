import { EVENT_CATALOG, type DomainEvent } from "@devflow/contracts";
import type { Database } from "@devflow/db";
import type { Logger } from "@devflow/observability";
import { PubSub, type Message, type Subscription, type Topic } from "@google-cloud/pubsub";
import {
  DEFAULT_RETRY_POLICY,
  type DeadLetter,
  type DeadLetterHook,
  type EventBus,
  type EventHandler,
  type RetryPolicy,
} from "./event-bus";
import {
  deliverToHandler,
  fileForwardedDeadLetter,
  isUuid,
  PUBSUB_ATTRIBUTES,
  type PubSubDelivery,
} from "./pubsub-delivery";

/*
 * What the official emulator (cloud-pubsub-emulator 0.8.20, gcloud 528) does, checked by hand
 * against it, and how this transport keeps one behaviour on it and on Pub/Sub itself:
 *
 * - deliveryAttempt: set (1, 2, …) only on a subscription with a dead-letter policy, 0 otherwise;
 *   both a nack and an expired ack deadline count. Pub/Sub documents the same. Every handler
 *   subscription therefore has a dead-letter policy, and the bus counts attempts with it.
 * - Dead-letter policy: maxDeliveryAttempts below 5 is refused ("the minimum value is 5"), as on
 *   Pub/Sub. After the last failed delivery the message is forwarded to the dead-letter topic with
 *   CloudPubSubDeadLetterSource* attributes. So Pub/Sub's policy is set to max(5, maxAttempts) and
 *   the bus itself dead-letters on the attempt that reaches maxAttempts: it files the event in
 *   Postgres and acks it, and Pub/Sub never forwards it. What Pub/Sub forwards all the same (the
 *   worker died on the last attempts, or could not reach Postgres) arrives on the handler's
 *   `<handler>.dead-letters` subscription and is filed from there.
 * - Retry policy: stored, returned and updatable, but only loosely followed. The first redelivery
 *   after a nack comes at once (~0.1 s) whatever minimumBackoff says; later ones come in whole
 *   seconds, growing slowly (minimum 0.2 s: 1.8, 2, 3, 3, 4, 5, 5 s; minimum 5 s: 7.8, 9, 11 s;
 *   0 s/0 s like 1 s/600 s: ~2 s each). Without a policy every redelivery comes at once. Pub/Sub
 *   calls its own policy best effort. So in pull mode the bus keeps a failed message leased for its
 *   backoff (baseDelay · 2^(attempt-1), plus up to as much again of jitter, as the Postgres
 *   transport) and nacks it only then. The subscription's retry policy (minimumBackoff =
 *   baseDelay) still paces what Pub/Sub redelivers on its own: a message handed back by close(),
 *   one whose worker died, or one pushed to Cloud Run (pubsub-push.ts). A pull retry thus waits
 *   the bus's backoff plus whatever the policy adds (Pub/Sub's delay, or the emulator's): at least
 *   the backoff, on both.
 * - Filters: stored, not applied (a subscription filtering on `attributes.handler = "h1"` received
 *   messages for h2 and without the attribute). An admin's retry is published to the event's topic
 *   with a `handler` attribute; each subscription has the filter that keeps it away from the other
 *   handlers on Pub/Sub, and the bus acks it unhandled where the filter was not applied.
 * - IAM is off in the emulator. On Pub/Sub the project's Pub/Sub service agent needs publisher on
 *   the dead-letter topics and subscriber on the handler subscriptions for forwarding to work.
 */

export interface PubSubEventBusOptions {
  /** The project holding the topics and subscriptions (ignored when `pubsub` is given). */
  projectId?: string;
  /** A client of your own (credentials, endpoint). Otherwise one is made; close() closes only that one. */
  pubsub?: PubSub;
  /** host:port of a Pub/Sub emulator. Without it, the client follows PUBSUB_EMULATOR_HOST or uses Google's. */
  emulatorHost?: string;
  /** Dead letters are filed in its event_dead_letters table, under each event's organization. */
  db: Database;
  /** Put before every topic name (default "devflow."): `devflow.document.created`, `devflow.dead-letters.<handler>`. */
  topicPrefix?: string;
  /** Messages one handler holds at once, running or waiting out a retry's backoff (default 100). */
  maxMessagesPerHandler?: number;
  /**
   * Told of each dead letter right after it is filed in event_dead_letters (a handler's last failed
   * attempt, an event that is not in the catalog, or what Pub/Sub's own policy forwarded), once per
   * filing: filing one again before an admin retried it (a lost ack) does not tell it twice. A hook
   * that throws is logged; the dead letter stays filed either way.
   */
  onDeadLetter?: DeadLetterHook;
  logger?: Logger;
}

/** Pub/Sub's bounds: maxDeliveryAttempts 5–100, backoffs and ack deadlines at most 600 s. */
const MIN_DELIVERY_ATTEMPTS = 5;
const MAX_DELIVERY_ATTEMPTS = 100;
const MAX_BACKOFF_SECONDS = 600;
/** A Pub/Sub resource id (3–255 characters, a letter first); 200 leaves room in the 256-byte filter. */
const RESOURCE_ID = /^[A-Za-z][A-Za-z0-9._~+%-]{2,199}$/;
const ALREADY_EXISTS = 6;

/** Put before every topic name unless the bus is given another prefix (one project, several deployments). */
export const DEFAULT_TOPIC_PREFIX = "devflow.";

/**
 * The topic of an event type: `devflow.document.created`. Dots are valid in topic ids, so the
 * type is used as it is; infrastructure code (Terraform, push subscriptions) should name topics
 * with this function's result.
 */
export const pubSubTopicName = (eventType: string, prefix = DEFAULT_TOPIC_PREFIX) => `${prefix}${eventType}`;

/** The topic Pub/Sub's dead-letter policy forwards a handler's exhausted messages to. */
export const pubSubDeadLetterTopicName = (handler: string, prefix = DEFAULT_TOPIC_PREFIX) =>
  `${prefix}dead-letters.${handler}`;

/** The subscription on a handler's dead-letter topic, from which the bus files what Pub/Sub forwarded. */
export const pubSubDeadLetterSubscriptionName = (handler: string) => `${handler}.dead-letters`;

/**
 * The Google Cloud Pub/Sub transport: a topic per event type, a subscription per handler (named
 * after it, created if missing, filled in pull mode here or pushed to Cloud Run, see
 * pubsub-push.ts), each with a dead-letter topic. Messages carry the event as JSON and its id,
 * type and organization as attributes. Pub/Sub does not deduplicate: a second publish of an event
 * is delivered again, which handlers absorb with applyOnce. Dead letters are filed in Postgres
 * (event_dead_letters, row-level security), listed per organization and retried by an admin.
 * How retries and dead letters map onto Pub/Sub, and what the emulator lacks: see above.
 */
export function createPubSubEventBus(options: PubSubEventBusOptions): EventBus {
  const { db, logger } = options;
  const prefix = options.topicPrefix ?? DEFAULT_TOPIC_PREFIX;
  const ownsClient = !options.pubsub;
  const pubsub =
    options.pubsub ??
    new PubSub({
      projectId: options.projectId,
      // Naming the universe domain keeps the client from asking a GCE metadata server for it,
      // which off Google Cloud only ends in a MetadataLookupWarning.
      ...(options.emulatorHost && {
        apiEndpoint: options.emulatorHost,
        emulatorMode: true,
        universeDomain: "googleapis.com",
      }),
    });
  const topics = new Map<string, Promise<Topic>>();
  const subscriptions: Subscription[] = [];
  const running = new Set<Promise<void>>();
  const backoffs = new Set<NodeJS.Timeout>();
  let closing: Promise<void> | null = null;

  function ensureTopic(name: string): Promise<Topic> {
    let topic = topics.get(name);
    if (!topic) {
      topic = (async () => {
        const created = pubsub.topic(name);
        const [exists] = await created.exists();
        if (!exists) await created.create().catch(unlessAlreadyExists);
        return created;
      })();
      // A failure (Pub/Sub unreachable) is not remembered: the next call tries again.
      topic.catch(() => topics.delete(name));
      topics.set(name, topic);
    }
    return topic;
  }

  async function ensureSubscription(topic: Topic, name: string, settings: SubscriptionSettings): Promise<Subscription> {
    const subscription = pubsub.subscription(name, {
      flowControl: { maxMessages: options.maxMessagesPerHandler ?? 100, allowExcessMessages: false },
    });
    const [exists] = await subscription.exists();
    if (!exists) {
      await topic.createSubscription(name, settings).catch(unlessAlreadyExists);
    } else if (settings.retryPolicy) {
      // As the Postgres transport: a changed retry policy applies from here on. (A filter cannot
      // be changed after creation; the bus checks the handler attribute itself anyway.)
      await subscription.setMetadata({
        retryPolicy: settings.retryPolicy,
        deadLetterPolicy: settings.deadLetterPolicy,
      });
    }
    subscriptions.push(subscription);
    return subscription;
  }

  async function publishEvent(event: DomainEvent, handler?: string): Promise<void> {
    const topic = await ensureTopic(pubSubTopicName(event.type, prefix));
    await topic.publishMessage({
      data: Buffer.from(JSON.stringify(event)),
      attributes: {
        [PUBSUB_ATTRIBUTES.eventId]: event.id,
        [PUBSUB_ATTRIBUTES.eventType]: event.type,
        [PUBSUB_ATTRIBUTES.organizationId]: event.organizationId,
        ...(handler && { [PUBSUB_ATTRIBUTES.handler]: handler }),
      },
    });
  }

  /** Runs one delivery in the background; close() waits for every one still running. */
  function track(work: () => Promise<void>) {
    const run = work()
      .catch((error) => logger?.error({ err: error }, "event bus (Pub/Sub): a delivery failed unexpectedly"))
      .finally(() => running.delete(run));
    running.add(run);
  }

  async function onMessage(handler: EventHandler, policy: RetryPolicy, message: Message) {
    const result = await deliverToHandler(handler, toDelivery(message), {
      db,
      policy,
      logger,
      onDeadLetter: options.onDeadLetter,
    });
    if (result.outcome === "retry") {
      // Leased (the client keeps extending it) until the backoff is over, then handed back.
      const timer = setTimeout(
        () => {
          backoffs.delete(timer);
          message.nack();
        },
        retryDelayMs(policy, result.attempt),
      );
      backoffs.add(timer);
    } else if (result.outcome === "rejected") {
      message.nack();
    } else {
      message.ack();
    }
  }

  async function onForwarded(handler: string, message: Message) {
    const result = await fileForwardedDeadLetter(handler, toDelivery(message), {
      db,
      logger,
      onDeadLetter: options.onDeadLetter,
    });
    if (result.outcome === "retry") message.nack();
    else message.ack();
  }

  function listen(subscription: Subscription, onEach: (message: Message) => Promise<void>) {
    subscription.on("error", (error) =>
      logger?.error({ err: error, subscription: subscription.name }, "event bus (Pub/Sub) error"),
    );
    subscription.on("message", (message: Message) => {
      // Left unanswered while closing: close() hands it back to Pub/Sub with the rest of the lease.
      if (closing) return;
      track(() => onEach(message));
    });
  }

  return {
    transport: "pubsub",

    async publish(events) {
      await Promise.all(events.map((event) => publishEvent(event)));
    },

    async subscribe(handler, overrides) {
      if (closing) throw new Error(`The event bus is closed; cannot subscribe ${handler.name}`);
      const policy = checkPolicy({ ...DEFAULT_RETRY_POLICY, ...handler.retry, ...overrides });
      checkHandlerName(handler.name);
      const topic = await ensureTopic(pubSubTopicName(handler.type, prefix));
      const deadLetterTopic = await ensureTopic(pubSubDeadLetterTopicName(handler.name, prefix));
      const subscription = await ensureSubscription(topic, handler.name, {
        retryPolicy: {
          minimumBackoff: duration(policy.baseDelaySeconds),
          maximumBackoff: duration(MAX_BACKOFF_SECONDS),
        },
        deadLetterPolicy: {
          deadLetterTopic: deadLetterTopic.name,
          maxDeliveryAttempts: Math.min(MAX_DELIVERY_ATTEMPTS, Math.max(MIN_DELIVERY_ATTEMPTS, policy.maxAttempts)),
        },
        filter: `attributes.${PUBSUB_ATTRIBUTES.handler} = "${handler.name}" OR NOT attributes:${PUBSUB_ATTRIBUTES.handler}`,
      });
      const forwarded = await ensureSubscription(deadLetterTopic, pubSubDeadLetterSubscriptionName(handler.name), {});
      listen(subscription, (message) => onMessage(handler, policy, message));
      listen(forwarded, (message) => onForwarded(handler.name, message));
    },

    async listDeadLetters(organizationId, limit = 50) {
      const rows = await db.withTenant({ organizationId }, (tx) =>
        tx.$queryRawUnsafe<DeadLetterRow[]>(
          `SELECT handler, event, attempts, error, failed_at FROM event_dead_letters
            WHERE organization_id = $1::uuid
            ORDER BY failed_at DESC
            LIMIT $2`,
          organizationId,
          Math.min(Math.max(Math.trunc(limit), 1), 200),
        ),
      );
      return rows.map(toDeadLetter);
    },

    async retryDeadLetter(organizationId, handler, eventId) {
      if (!isUuid(eventId)) return false;
      return db.withTenant({ organizationId }, async (tx) => {
        const [letter] = await tx.$queryRawUnsafe<{ event: DomainEvent }[]>(
          `DELETE FROM event_dead_letters
            WHERE organization_id = $1::uuid AND handler = $2 AND event_id = $3::uuid
            RETURNING event`,
          organizationId,
          handler,
          eventId,
        );
        if (!letter) return false;
        if (!(letter.event.type in EVENT_CATALOG)) {
          throw new Error(
            `Dead letter ${eventId} of ${handler} is not an event of the catalog; retrying cannot deliver it`,
          );
        }
        // Inside the transaction: if Pub/Sub refuses it, the dead letter stays for another try.
        await publishEvent(letter.event, handler);
        return true;
      });
    },

    close() {
      closing ??= (async () => {
        await Promise.allSettled([...running]);
        for (const timer of backoffs) clearTimeout(timer);
        backoffs.clear();
        // Nacks what is still leased (messages waiting out a backoff) and flushes pending acks.
        await Promise.all(subscriptions.map((subscription) => subscription.close()));
        if (ownsClient) await pubsub.close();
      })();
      return closing;
    },
  };
}

interface SubscriptionSettings {
  retryPolicy?: { minimumBackoff: Duration; maximumBackoff: Duration };
  deadLetterPolicy?: { deadLetterTopic: string; maxDeliveryAttempts: number };
  filter?: string;
}

interface Duration {
  seconds: number;
  nanos: number;
}

interface DeadLetterRow {
  handler: string;
  event: DomainEvent;
  attempts: number;
  error: string | null;
  failed_at: Date | string;
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    handler: row.handler,
    event: row.event,
    attempts: row.attempts,
    error: row.error,
    failedAt: new Date(row.failed_at).toISOString(),
  };
}

function toDelivery(message: Message): PubSubDelivery {
  return {
    messageId: message.id,
    data: message.data,
    attributes: message.attributes ?? {},
    deliveryAttempt: message.deliveryAttempt ?? 0,
  };
}

/** The backoff after a failed attempt: exponential from baseDelay, plus up to as much again of jitter. */
function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  const base = Math.min(MAX_BACKOFF_SECONDS, policy.baseDelaySeconds * 2 ** (attempt - 1));
  return Math.min(MAX_BACKOFF_SECONDS, base * (1 + Math.random())) * 1_000;
}

function duration(seconds: number): Duration {
  const whole = Math.floor(seconds);
  return { seconds: whole, nanos: Math.round((seconds - whole) * 1e9) };
}

function checkPolicy(policy: RetryPolicy): RetryPolicy {
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1 || policy.maxAttempts > MAX_DELIVERY_ATTEMPTS) {
    throw new Error(`maxAttempts must be a whole number from 1 to ${MAX_DELIVERY_ATTEMPTS}, got ${policy.maxAttempts}`);
  }
  if (!(policy.baseDelaySeconds >= 0 && policy.baseDelaySeconds <= MAX_BACKOFF_SECONDS)) {
    throw new Error(`baseDelaySeconds must be from 0 to ${MAX_BACKOFF_SECONDS}, got ${policy.baseDelaySeconds}`);
  }
  return policy;
}

function checkHandlerName(name: string) {
  if (!RESOURCE_ID.test(name) || name.toLowerCase().startsWith("goog")) {
    throw new Error(
      `Handler name "${name}" cannot name a Pub/Sub subscription: 3–200 letters, digits and . _ ~ + % -, starting with a letter (not "goog")`,
    );
  }
}

function unlessAlreadyExists(error: unknown) {
  // Another process (or bus) created it between our check and our create.
  if ((error as { code?: number }).code !== ALREADY_EXISTS) throw error;
}
