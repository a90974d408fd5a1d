import type { JoinOutcome, JoinRequest, SubmitOpRequest, SubmitOutcome } from "./document-sequencer";
import type { DocumentRef } from "./op-store";

/**
 * The right to run a document's sequencer on this instance. While it is held, this instance is
 * the document's only writer; `release` gives it up (idle document, shutdown).
 */
export interface DocumentLease {
  /** Increases with every hand-over; a store may refuse commits carrying an older token. */
  readonly fencingToken: number;
  /** Aborted when the lease is lost (expired, taken over): stop committing and let clients rejoin. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

export type AcquireResult =
  | { owned: true; lease: DocumentLease }
  /** Another instance owns the document; `ownerId` says where to forward ops. */
  | { owned: false; ownerId: string };

/**
 * Who runs each document's sequencer when several collab instances serve the same documents.
 *
 * `createRedisOwnership` keeps a lease per document in Redis (`SET … NX PX <ttl>`, renewed while
 * the sequencer is alive) with a fencing token that only grows. An instance that cannot acquire
 * hands the socket's joins and ops to a `DocumentForwarder`, which runs them on the owner and
 * relays the answers; when the owner dies its lease expires and the next instance to receive work
 * takes over, loading the head from Postgres. Correctness does not rest on the lease alone: every
 * commit is a compare-and-set on `documents.version`, so a stale owner's batch is refused and its
 * clients rejoin.
 */
export interface DocumentOwnership {
  acquire(ref: DocumentRef): Promise<AcquireResult>;
}

/** One collab instance serves every document: it always owns. */
export function singleInstanceOwnership(): DocumentOwnership {
  let token = 0;
  return {
    async acquire() {
      token += 1;
      const controller = new AbortController();
      return { owned: true, lease: { fencingToken: token, lost: controller.signal, release: async () => {} } };
    },
  };
}

/**
 * Runs a join or an op on the instance that owns the document, for an instance that does not.
 *
 * The callbacks keep the sequencer's contract across instances: `onJoined` (on success) and
 * `onSettled` (always, with the outcome) run synchronously as the owner's answer arrives, and
 * answers arrive in the order the owner sent them relative to its broadcasts, so a client sees
 * the catch-up, its acks and everyone's ops in version order. When the owner does not answer in
 * time, or answers that it no longer owns the document, the outcome is a `not_owner` refusal
 * and the engine looks up the owner again (taking over once a dead owner's lease expired).
 */
export interface DocumentForwarder {
  join(ownerId: string, ref: DocumentRef, request: JoinRequest): Promise<JoinOutcome>;
  submit(ownerId: string, ref: DocumentRef, request: SubmitOpRequest): Promise<SubmitOutcome>;
}
