export { createCollabEngine, DEFAULT_HAND_OVER_MS, DEFAULT_IDLE_MS, DEFAULT_SNAPSHOT_EVERY_OPS } from "./collab-engine";
export type { CollabEngine, CollabEngineOptions } from "./collab-engine";
export { DEFAULT_SEQUENCER_OPTIONS, DocumentSequencer } from "./document-sequencer";
export type {
  CommittedOp,
  JoinOutcome,
  JoinRequest,
  JoinResult,
  SequencerHooks,
  SequencerOptions,
  SubmitOpRequest,
  SubmitOutcome,
} from "./document-sequencer";
export { CollabEngineError } from "./errors";
export type { CollabEngineErrorReason } from "./errors";
export { formatClientOpId, parseClientOpId } from "./client-op-id";
export type { ClientOpId } from "./client-op-id";
export { CommitConflictError } from "./op-store";
export type {
  CommitBatch,
  CommitConflictReason,
  DocumentHead,
  DocumentRef,
  OpStore,
  Snapshot,
  StoredOp,
} from "./op-store";
export { createMemoryOpStore } from "./memory-op-store";
export type { MemoryOpStore } from "./memory-op-store";
export { createPostgresOpStore } from "./postgres-op-store";
export { singleInstanceOwnership } from "./ownership";
export type { AcquireResult, DocumentForwarder, DocumentLease, DocumentOwnership } from "./ownership";
export { createRedisOwnership } from "./redis-ownership";
export type { RedisOwnership, RedisOwnershipOptions, RedisScriptClient } from "./redis-ownership";
