import type { CommitBatch, DocumentRef, OpStore } from "../op-store";

export type CommitMode =
  /** Commits go straight through. */
  | "normal"
  /** Commits wait until `release()` (a slow database). */
  | "paused"
  /** Commits never reach the store and never answer (the process dies before COMMIT). */
  | "lost_before_write"
  /** Commits are written and never answer (the process dies right after COMMIT). */
  | "lost_after_write"
  /** Commits fail without writing. */
  | "failing";

export interface ControlledStore extends OpStore {
  /** Sizes of the batches that reached `commit`, in order. */
  readonly batchSizes: number[];
  /** Calls to each method, for checking what an operation read. */
  readonly calls: Record<keyof OpStore, number>;
  setMode(mode: CommitMode): void;
  /** Lets paused commits through. */
  release(): void;
}

/** Wraps a store to slow, fail or "crash" its commits and count its calls. */
export function createControlledStore(inner: OpStore): ControlledStore {
  let mode: CommitMode = "normal";
  let waiting: (() => void)[] = [];
  const batchSizes: number[] = [];
  const calls: Record<keyof OpStore, number> = {
    loadHead: 0,
    loadOps: 0,
    commit: 0,
    findOpByClientId: 0,
    lastClientSeqs: 0,
    writeSnapshot: 0,
    loadLatestSnapshot: 0,
  };
  const never = new Promise<never>(() => {});
  const counted = <A extends unknown[], R>(name: keyof OpStore, fn: (...args: A) => Promise<R>) => {
    return (...args: A) => {
      calls[name] += 1;
      return fn(...args);
    };
  };

  return {
    batchSizes,
    calls,
    setMode(next) {
      mode = next;
      if (next !== "paused") this.release();
    },
    release() {
      const resume = waiting;
      waiting = [];
      for (const go of resume) go();
    },
    loadHead: counted("loadHead", (ref: DocumentRef) => inner.loadHead(ref)),
    loadOps: counted("loadOps", (ref: DocumentRef, after: number, upTo: number) => inner.loadOps(ref, after, upTo)),
    commit: counted("commit", async (ref: DocumentRef, batch: CommitBatch) => {
      batchSizes.push(batch.ops.length);
      switch (mode) {
        case "paused":
          await new Promise<void>((resolve) => waiting.push(resolve));
          return inner.commit(ref, batch);
        case "lost_before_write":
          return never;
        case "lost_after_write":
          await inner.commit(ref, batch);
          return never;
        case "failing":
          throw new Error("connection terminated unexpectedly");
        case "normal":
          return inner.commit(ref, batch);
      }
    }),
    findOpByClientId: counted("findOpByClientId", (ref: DocumentRef, clientId: string, seq: number) =>
      inner.findOpByClientId(ref, clientId, seq),
    ),
    lastClientSeqs: counted("lastClientSeqs", (ref: DocumentRef, clientIds: readonly string[]) =>
      inner.lastClientSeqs(ref, clientIds),
    ),
    writeSnapshot: counted("writeSnapshot", (ref: DocumentRef, snapshot: { version: number; content: string }) =>
      inner.writeSnapshot(ref, snapshot),
    ),
    loadLatestSnapshot: counted("loadLatestSnapshot", (ref: DocumentRef, version: number) =>
      inner.loadLatestSnapshot(ref, version),
    ),
  };
}
