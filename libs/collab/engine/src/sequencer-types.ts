import { MAX_DOCUMENT_LENGTH, MAX_OP_SIZE_DEFAULT, type TextOp } from "@devflow/collab-ot";
import type { ClientOpId } from "./client-op-id";
import type { CollabEngineError } from "./errors";
import type { DocumentHead, DocumentRef, StoredOp } from "./op-store";

/** What a document's sequencer takes and answers; the sequencer itself is in document-sequencer.ts. */

export interface SequencerOptions {
  /** Most ops in one commit transaction; more queued ops wait for the next one. */
  maxBatchOps: number;
  /** Recent committed ops kept in memory for rebasing and catch-up without reading the log. */
  windowOps: number;
  /** How far behind head an op's base version or a pending client may be before it must rejoin. */
  retainedOps: number;
  /** A join further behind than this, with no pending edits, gets the text instead of the ops. */
  snapshotJoinThreshold: number;
  /** Largest op accepted (`opSize`: inserted characters + components). */
  maxOpSize: number;
  /** Longest document an op may produce, in UTF-16 code units. */
  maxDocumentLength: number;
  /** Clients whose highest committed sequence is remembered; others cost one lookup on their next op. */
  maxKnownClients: number;
}

export const DEFAULT_SEQUENCER_OPTIONS: SequencerOptions = {
  maxBatchOps: 128,
  windowOps: 1_000,
  retainedOps: 10_000,
  snapshotJoinThreshold: 500,
  maxOpSize: MAX_OP_SIZE_DEFAULT,
  maxDocumentLength: MAX_DOCUMENT_LENGTH,
  maxKnownClients: 10_000,
};

/** A committed op as clients see it (catch-up entries and remote ops). */
export interface CommittedOp extends StoredOp {
  clientOpId: string;
}

export interface SubmitOpRequest {
  /** `${clientId}:${sequence}`: a resend with the same id is acked with the original version. */
  clientOpId: string;
  /** The server version the op was made against. */
  baseVersion: number;
  /** The op as received; validated here with `parseOp`. */
  op: unknown;
  userId: string;
  /** Who sent it (a socket id): `onCommitted` passes it on so the broadcast can skip that socket. */
  origin?: string;
  /**
   * Called synchronously with the outcome, for a durable op right before its broadcast, so the
   * author's ack and everyone's remote ops leave in version order. Use it to answer the client.
   */
  onSettled?: (outcome: SubmitOutcome) => void;
}

export type SubmitOutcome = { ok: true; version: number; duplicate: boolean } | { ok: false; error: CollabEngineError };

export interface JoinRequest {
  /** The version the client's text is at (after a reconnect); absent on a first open. */
  lastKnownVersion?: number;
  /**
   * True: the client holds unconfirmed edits and must get ops, never a replacement text (an error
   * when they are no longer kept). False: a client far behind gets the text. Absent: ops while
   * they are kept, the text beyond.
   */
  hasPending?: boolean;
  /**
   * Called synchronously with the result before any later op is broadcast: subscribe the client
   * to broadcasts and answer it here, and the catch-up and the broadcasts neither overlap nor gap.
   */
  onJoined?: (result: JoinResult) => void;
}

export type JoinResult =
  { kind: "snapshot"; version: number; text: string } | { kind: "ops"; version: number; ops: CommittedOp[] };

export type JoinOutcome = { ok: true; result: JoinResult } | { ok: false; error: CollabEngineError };

export interface SequencerHooks {
  /** Once per committed op, in version order, right after its author's `onSettled`. */
  onCommitted?(ref: DocumentRef, op: CommittedOp, origin: string | undefined): void;
  /** After each durable batch, with the new head. */
  afterCommit?(ref: DocumentRef, head: DocumentHead, opCount: number): void;
  /** The queue ran empty. */
  onIdle?(ref: DocumentRef): void;
  /** A failure the caller did not see as an outcome (a throwing callback) or one worth logging. */
  onError?(ref: DocumentRef, error: unknown, message: string): void;
}

/** Inside the sequencer only: */

export interface LoadedState {
  content: string;
  version: number;
  /** Committed ops ending at `version`, oldest first. */
  window: StoredOp[];
  windowByOpId: Map<string, StoredOp>;
  /** Highest committed sequence per client id, as far as this sequencer knows. */
  clientHighWater: Map<string, number>;
}

export interface OpTask {
  kind: "op";
  request: SubmitOpRequest;
  op: TextOp;
  id: ClientOpId;
  settle: (outcome: SubmitOutcome) => void;
}

export interface JoinTask {
  kind: "join";
  request: JoinRequest;
  settle: (outcome: JoinOutcome) => void;
}

export type Task = OpTask | JoinTask;
