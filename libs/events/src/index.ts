export { applyOnce } from "./apply-once";
export { DEFAULT_RETRY_POLICY } from "./event-bus";
export type { DeadLetter, DeadLetterHook, EventBus, EventHandler, EventPublisher, RetryPolicy } from "./event-bus";
export { outboxRowToEvent, recordEvent } from "./outbox";
export type { NewEvent } from "./outbox";
export { createOutboxRelay } from "./outbox-relay";
export type { OutboxRelay, OutboxRelayOptions } from "./outbox-relay";
export { createPgBossEventBus } from "./pg-boss-bus";
export type { PgBossEventBusOptions } from "./pg-boss-bus";
export { pgliteBossDb } from "./pglite-boss-db";
export { listDeadLetters, retryDeadLetter, transactionSql } from "./dead-letters";
export type { SqlRunner } from "./dead-letters";
export {
  createPubSubEventBus,
  DEFAULT_TOPIC_PREFIX,
  pubSubDeadLetterSubscriptionName,
  pubSubDeadLetterTopicName,
  pubSubTopicName,
} from "./pubsub-bus";
export type { PubSubEventBusOptions } from "./pubsub-bus";
export { PUBSUB_ATTRIBUTES } from "./pubsub-delivery";
export type { PubSubDelivery } from "./pubsub-delivery";
export {
  createPubSubPushVerifier,
  decodePushEnvelope,
  decodePushMessage,
  GOOGLE_ISSUERS,
  GOOGLE_JWKS_URL,
  handlePush,
  PushAuthenticationError,
  PushEnvelopeError,
} from "./pubsub-push";
export type {
  PubSubPushVerifier,
  PubSubPushVerifierOptions,
  PushHandlingOptions,
  PushMessage,
  PushRequest,
  PushResponse,
} from "./pubsub-push";
