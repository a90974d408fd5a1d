import { apply } from "@devflow/collab-ot";
import {
  DocumentSequencer,
  type CommittedOp,
  type JoinOutcome,
  type JoinRequest,
  type SequencerOptions,
  type SubmitOpRequest,
  type SubmitOutcome,
} from "./document-sequencer";
import { CollabEngineError } from "./errors";
import type { DocumentHead, DocumentRef, OpStore, Snapshot } from "./op-store";
import {
  singleInstanceOwnership,
  type DocumentForwarder,
  type DocumentLease,
  type DocumentOwnership,
} from "./ownership";

export interface CollabEngineOptions {
  store: OpStore;
  /** Who runs which document's sequencer; one instance owns everything by default. */
  ownership?: DocumentOwnership;
  /** Runs work on the owning instance when another one owns the document; without it such work is refused (`not_owner`). */
  forwarder?: DocumentForwarder;
  /**
   * How long a join or op keeps looking for its document's owner (an owner that does not answer,
   * or a lease changing hands) before it is refused as `unavailable`. Longer than the lease TTL
   * plus the forwarder's timeout, so a dead owner's documents are taken over within it.
   */
  handOverMs?: number;
  /** Tuning for every document's sequencer. */
  sequencer?: Partial<SequencerOptions>;
  /** Write a snapshot once this many ops were committed since the last one. */
  snapshotEveryOps?: number;
  /** Drop a document's sequencer (writing a snapshot first) after this long without work. */
  idleMs?: number;
  /** Broadcast: once per committed op, in version order, after its author's ack; skip `origin`. */
  onCommitted?(ref: DocumentRef, op: CommittedOp, origin: string | undefined): void;
  /** Failures nobody is waiting for: background snapshots, throwing callbacks, failed commits. */
  onError?(ref: DocumentRef, error: unknown, message: string): void;
}

export interface CollabEngine {
  /** Joins a document: catch-up ops since `lastKnownVersion`, or the text (see `JoinRequest`). */
  join(ref: DocumentRef, request?: JoinRequest): Promise<JoinOutcome>;
  /** Submits an op; resolves once it is durable (ack) or refused with nothing changed. */
  submit(ref: DocumentRef, request: SubmitOpRequest): Promise<SubmitOutcome>;
  /**
   * The text at an earlier version, for history and diffs: the newest snapshot at or below it
   * plus the ops after it, so only that stretch of the log is read. Null when the document does
   * not exist or the version was never reached.
   */
  textAt(ref: DocumentRef, version: number): Promise<Snapshot | null>;
  /**
   * A join forwarded by another instance: runs here when this instance owns the document (or can
   * acquire it) and is refused with `not_owner` otherwise. Never forwards again, so a request
   * cannot travel in circles while a lease changes hands.
   */
  joinAsOwner(ref: DocumentRef, request: JoinRequest): Promise<JoinOutcome>;
  /** An op forwarded by another instance; see `joinAsOwner`. */
  submitAsOwner(ref: DocumentRef, request: SubmitOpRequest): Promise<SubmitOutcome>;
  /** Documents with a live sequencer on this instance. */
  readonly openDocuments: number;
  /** Waits until every queue is empty and background snapshots are written. */
  flush(): Promise<void>;
  /** Refuses new work, drains the queues, writes snapshots and releases ownership. */
  close(): Promise<void>;
}

interface Entry {
  ref: DocumentRef;
  sequencer: DocumentSequencer;
  /** Set once ownership is decided; before that, callers wait on `ready`. */
  lease?: DocumentLease;
  refusal?: CollabEngineError;
  /** The instance that owns the document, when it is not this one. */
  ownerId?: string;
  ready: Promise<void>;
  opsSinceSnapshot: number;
  idleTimer?: ReturnType<typeof setTimeout>;
}

/** Snapshots are for history and diffs (the head row already holds the text), so they can be sparse. */
export const DEFAULT_SNAPSHOT_EVERY_OPS = 1_000;
/** Long enough that a document someone pauses in keeps its warm window; short enough to free memory. */
export const DEFAULT_IDLE_MS = 60_000;
/** Covers the default lease TTL (10 s) and one forwarding timeout. */
export const DEFAULT_HAND_OVER_MS = 15_000;

/**
 * The registry of document sequencers on this instance: created on first use (after ownership is
 * acquired), dropped when idle. Snapshots are written in the background every `snapshotEveryOps`
 * ops and when a document goes idle; opening a document reads only its head row, so a document
 * with 100,000 ops of history opens as fast as a new one.
 */
export function createCollabEngine(options: CollabEngineOptions): CollabEngine {
  const store = options.store;
  const ownership = options.ownership ?? singleInstanceOwnership();
  const snapshotEveryOps = options.snapshotEveryOps ?? DEFAULT_SNAPSHOT_EVERY_OPS;
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const handOverMs = options.handOverMs ?? DEFAULT_HAND_OVER_MS;
  const forwarder = options.forwarder;
  const entries = new Map<string, Entry>();
  /** Disposals still running (queue draining, lease being released), by document key. */
  const disposing = new Map<string, Promise<void>>();
  const background = new Set<Promise<void>>();
  let closed = false;

  const reportError = (ref: DocumentRef, error: unknown, message: string) => {
    try {
      options.onError?.(ref, error, message);
    } catch {
      // A failing logger must not take the queue down with it.
    }
  };

  const inBackground = (ref: DocumentRef, work: () => Promise<void>, message: string): Promise<void> => {
    const task = work()
      .catch((error: unknown) => reportError(ref, error, message))
      .finally(() => background.delete(task));
    background.add(task);
    return task;
  };

  const writeSnapshot = (entry: Entry, head: DocumentHead | null) => {
    if (!head || entry.opsSinceSnapshot === 0) return;
    entry.opsSinceSnapshot = 0;
    inBackground(entry.ref, () => store.writeSnapshot(entry.ref, head), "could not write a snapshot");
  };

  const dispose = (key: string, entry: Entry) => {
    if (entries.get(key) !== entry) return;
    entries.delete(key);
    clearTimeout(entry.idleTimer);
    const task = inBackground(
      entry.ref,
      async () => {
        await entry.sequencer.close();
        writeSnapshot(entry, entry.sequencer.head);
        await entry.lease?.release();
      },
      "could not release a document",
    );
    disposing.set(key, task);
    void task.finally(() => {
      if (disposing.get(key) === task) disposing.delete(key);
    });
  };

  const entryFor = (ref: DocumentRef): Entry => {
    // Keyed by organization too: a document id guessed from another organization never reaches
    // a sequencer loaded under the right tenant.
    const key = `${ref.organizationId}/${ref.documentId}`;
    const existing = entries.get(key);
    if (existing) {
      clearTimeout(existing.idleTimer);
      return existing;
    }
    const entry: Entry = {
      ref,
      opsSinceSnapshot: 0,
      ready: Promise.resolve(),
      sequencer: new DocumentSequencer(ref, store, options.sequencer, {
        onCommitted: (r, op, origin) => options.onCommitted?.(r, op, origin),
        afterCommit: (_r, head, count) => {
          entry.opsSinceSnapshot += count;
          if (entry.opsSinceSnapshot >= snapshotEveryOps) writeSnapshot(entry, head);
        },
        onIdle: () => {
          clearTimeout(entry.idleTimer);
          entry.idleTimer = setTimeout(() => {
            if (entry.sequencer.isIdle) dispose(key, entry);
          }, idleMs);
          entry.idleTimer.unref?.();
        },
        onError: reportError,
      }),
    };
    // A document whose lease was just lost may still be draining its queue here: the successor
    // waits, so this instance never runs two sequencers (or two leases) for one document.
    const previous = disposing.get(key);
    const acquired = previous ? previous.then(() => ownership.acquire(ref)) : ownership.acquire(ref);
    entry.ready = acquired.then(
      (result) => {
        if (result.owned) {
          entry.lease = result.lease;
          result.lease.lost.addEventListener("abort", () => dispose(key, entry), { once: true });
          return;
        }
        entry.refusal = new CollabEngineError(
          "not_owner",
          "unavailable",
          `Document ${ref.documentId} is served by collab instance ${result.ownerId}; reconnect`,
        );
        entry.ownerId = result.ownerId;
        dispose(key, entry);
      },
      (error: unknown) => {
        reportError(ref, error, "could not acquire document ownership");
        entry.refusal = new CollabEngineError("not_owner", "unavailable", "Document ownership is unavailable; retry", {
          cause: error,
        });
        dispose(key, entry);
      },
    );
    entries.set(key, entry);
    return entry;
  };

  /**
   * Runs `fn` on the document's sequencer once ownership is settled, keeping arrival order. When
   * another instance owns the document, `forward` runs the work there; an answer that the owner
   * is gone or has changed (`not_owner`, `closing`) sends it round again — to the new owner, or
   * to this instance once a dead owner's lease expired — until `handOverMs` have passed.
   * `isFinal` is what `forward`'s synchronous callbacks use to tell whether an answer is the last.
   */
  const route = async <T extends { ok: true } | { ok: false; error: CollabEngineError }>(
    ref: DocumentRef,
    refuse: (error: CollabEngineError) => T,
    fn: (sequencer: DocumentSequencer) => Promise<T>,
    forward: ((ownerId: string, isFinal: (outcome: T) => boolean) => Promise<T>) | null,
  ): Promise<T> => {
    const deadline = Date.now() + handOverMs;
    // Decided once per answer, so the callback and the loop never disagree about the same one.
    const decided = new WeakMap<T, boolean>();
    const isFinal = (outcome: T) => {
      if (!decided.has(outcome)) {
        decided.set(outcome, outcome.ok || !isHandOver(outcome.error) || Date.now() >= deadline);
      }
      return decided.get(outcome)!;
    };
    for (let attempt = 0; ; attempt += 1) {
      if (closed)
        return refuse(new CollabEngineError("closing", "unavailable", "The collaboration service is restarting"));
      const entry = entryFor(ref);
      if (!entry.lease && !entry.refusal) await entry.ready;
      if (!entry.refusal) return fn(entry.sequencer);
      if (!forward || entry.ownerId === undefined) return refuse(entry.refusal);
      const outcome = await forward(entry.ownerId, isFinal);
      if (isFinal(outcome)) return outcome;
      await delay(Math.min(MAX_RETRY_DELAY_MS, 10 * 2 ** attempt));
    }
  };

  const refuseJoin = (error: CollabEngineError): JoinOutcome => ({ ok: false, error });
  const refuseSubmit =
    (request: SubmitOpRequest) =>
    (error: CollabEngineError): SubmitOutcome => {
      const outcome: SubmitOutcome = { ok: false, error };
      request.onSettled?.(outcome);
      return outcome;
    };

  const forwardJoin = (ref: DocumentRef, request: JoinRequest) =>
    forwarder ? (ownerId: string) => forwarder.join(ownerId, ref, request) : null;

  const forwardSubmit = (ref: DocumentRef, request: SubmitOpRequest) =>
    forwarder
      ? async (ownerId: string, isFinal: (outcome: SubmitOutcome) => boolean) => {
          // The author hears only the last answer: a refusal that sends the op round again is not one.
          let delivered = false;
          const outcome = await forwarder.submit(ownerId, ref, {
            ...request,
            onSettled: (answer) => {
              if (delivered || !isFinal(answer)) return;
              delivered = true;
              request.onSettled?.(answer);
            },
          });
          if (!delivered && isFinal(outcome)) request.onSettled?.(outcome);
          return outcome;
        }
      : null;

  return {
    join(ref, request = {}) {
      return route(ref, refuseJoin, (s) => s.join(request), forwardJoin(ref, request));
    },

    submit(ref, request) {
      return route(ref, refuseSubmit(request), (s) => s.submit(request), forwardSubmit(ref, request));
    },

    joinAsOwner(ref, request) {
      return route(ref, refuseJoin, (s) => s.join(request), null);
    },

    submitAsOwner(ref, request) {
      return route(ref, refuseSubmit(request), (s) => s.submit(request), null);
    },

    async textAt(ref, version) {
      if (!Number.isSafeInteger(version) || version < 0) return null;
      const snapshot = await store.loadLatestSnapshot(ref, version);
      if (!snapshot) return null;
      const ops = await store.loadOps(ref, snapshot.version, version);
      if (snapshot.version + ops.length !== version) return null;
      return { version, content: ops.reduce((text, op) => apply(text, op.op), snapshot.content) };
    },

    get openDocuments() {
      return entries.size;
    },

    async flush() {
      await Promise.all([...entries.values()].map((e) => e.sequencer.whenIdle()));
      while (background.size > 0) await Promise.all([...background]);
    },

    async close() {
      closed = true;
      for (const [key, entry] of [...entries]) dispose(key, entry);
      while (background.size > 0) await Promise.all([...background]);
    },
  };
}

/** Between attempts to reach an owner that answered it no longer owns the document. */
const MAX_RETRY_DELAY_MS = 250;

/** Refusals that mean "ask whoever owns the document now", not "the request is wrong". */
function isHandOver(error: CollabEngineError): boolean {
  return error.reason === "not_owner" || error.reason === "closing";
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
