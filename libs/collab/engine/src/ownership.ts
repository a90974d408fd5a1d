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
 * The multi-instance implementation (not built yet) keeps a lease per document in Redis
 * (`SET doc-owner:<id> <instance> NX PX <ttl>`, renewed while the sequencer is alive) or in a
 * Postgres table, with a fencing token that only grows. An instance that cannot acquire forwards
 * the socket's ops and joins to the owner (through the Socket.io Redis adapter's
 * `serverSideEmit`) and relays the answers; when the owner dies its lease expires and the next
 * instance to receive an op takes over, loading the head from Postgres. Correctness does not rest
 * on the lease alone: every commit is a compare-and-set on `documents.version`, so a stale owner's
 * batch is refused and its clients rejoin.
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
