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
import { singleInstanceOwnership, type DocumentLease, type DocumentOwnership } from "./ownership";

export interface CollabEngineOptions {
  store: OpStore;
  /** Who runs which document's sequencer; one instance owns everything by default. */
  ownership?: DocumentOwnership;
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
  ready: Promise<void>;
  opsSinceSnapshot: number;
  idleTimer?: ReturnType<typeof setTimeout>;
}

/** Snapshots are for history and diffs (the head row already holds the text), so they can be sparse. */
export const DEFAULT_SNAPSHOT_EVERY_OPS = 1_000;
/** Long enough that a document someone pauses in keeps its warm window; short enough to free memory. */
export const DEFAULT_IDLE_MS = 60_000;

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
  const entries = new Map<string, Entry>();
  const background = new Set<Promise<void>>();
  let closed = false;

  const reportError = (ref: DocumentRef, error: unknown, message: string) => {
    try {
      options.onError?.(ref, error, message);
    } catch {
      // A failing logger must not take the queue down with it.
    }
  };

  const inBackground = (ref: DocumentRef, work: () => Promise<void>, message: string) => {
    const task = work()
      .catch((error: unknown) => reportError(ref, error, message))
      .finally(() => background.delete(task));
    background.add(task);
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
    inBackground(
      entry.ref,
      async () => {
        await entry.sequencer.close();
        writeSnapshot(entry, entry.sequencer.head);
        await entry.lease?.release();
      },
      "could not release a document",
    );
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
    entry.ready = ownership.acquire(ref).then(
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

  /** Runs `fn` on the document's sequencer once ownership is settled, keeping arrival order. */
  const withSequencer = async <T extends { ok: boolean }>(
    ref: DocumentRef,
    refuse: (error: CollabEngineError) => T,
    fn: (sequencer: DocumentSequencer) => Promise<T>,
  ): Promise<T> => {
    if (closed)
      return refuse(new CollabEngineError("closing", "unavailable", "The collaboration service is restarting"));
    const entry = entryFor(ref);
    if (!entry.lease && !entry.refusal) await entry.ready;
    return entry.refusal ? refuse(entry.refusal) : fn(entry.sequencer);
  };

  return {
    join(ref, request = {}) {
      return withSequencer(
        ref,
        (error): JoinOutcome => ({ ok: false, error }),
        (s) => s.join(request),
      );
    },

    submit(ref, request) {
      return withSequencer(
        ref,
        (error): SubmitOutcome => {
          const outcome: SubmitOutcome = { ok: false, error };
          request.onSettled?.(outcome);
          return outcome;
        },
        (s) => s.submit(request),
      );
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
