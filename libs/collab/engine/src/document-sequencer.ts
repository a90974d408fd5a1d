import { RebaseError, apply, checkOpFits, parseOp, rebase, type TextOp } from "@devflow/collab-ot";
import { formatClientOpId, parseClientOpId, type ClientOpId } from "./client-op-id";
import { CollabEngineError, documentNotFound, toEngineError } from "./errors";
import type { DocumentHead, DocumentRef, OpStore, StoredOp } from "./op-store";
import {
  DEFAULT_SEQUENCER_OPTIONS,
  type CommittedOp,
  type JoinOutcome,
  type JoinRequest,
  type JoinResult,
  type JoinTask,
  type LoadedState,
  type OpTask,
  type SequencerHooks,
  type SequencerOptions,
  type SubmitOpRequest,
  type SubmitOutcome,
  type Task,
} from "./sequencer-types";

export { DEFAULT_SEQUENCER_OPTIONS } from "./sequencer-types";
export type {
  CommittedOp,
  JoinOutcome,
  JoinRequest,
  JoinResult,
  SequencerHooks,
  SequencerOptions,
  SubmitOpRequest,
  SubmitOutcome,
} from "./sequencer-types";

/**
 * The single writer of one document: a FIFO queue of ops and joins. Ops are deduplicated by client
 * op id, rebased over what was committed since their base version, applied, and committed in
 * batches (everything that queued while the previous commit was in flight goes into the next
 * transaction). Only after the commit resolves is an op acked and broadcast: an ack means durable.
 * There is no retry loop: a failed commit refuses the batch and the state is reloaded from the store.
 */
export class DocumentSequencer {
  readonly ref: DocumentRef;
  private readonly options: SequencerOptions;
  private state: LoadedState | null = null;
  private readonly queue: Task[] = [];
  private running = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    ref: DocumentRef,
    private readonly store: OpStore,
    options: Partial<SequencerOptions> = {},
    private readonly hooks: SequencerHooks = {},
  ) {
    this.ref = ref;
    this.options = { ...DEFAULT_SEQUENCER_OPTIONS, ...options };
  }

  /** True when nothing is queued or being committed. */
  get isIdle(): boolean {
    return !this.running && this.queue.length === 0;
  }

  /** The committed head as this sequencer knows it, or null before the first task loaded it. */
  get head(): DocumentHead | null {
    return this.state && { content: this.state.content, version: this.state.version };
  }

  /** Queues an op. Resolves (never rejects) once it is durable, or refused with no change. */
  submit(request: SubmitOpRequest): Promise<SubmitOutcome> {
    return new Promise((resolve) => {
      const settle = (outcome: SubmitOutcome) => {
        this.callSafely(() => request.onSettled?.(outcome), "onSettled threw");
        resolve(outcome);
      };
      if (this.closed) return settle({ ok: false, error: closingError() });
      let id: ClientOpId;
      try {
        id = parseClientOpId(request.clientOpId);
      } catch (error) {
        return settle({ ok: false, error: toEngineError(error) });
      }
      if (!Number.isSafeInteger(request.baseVersion) || request.baseVersion < 0) {
        const error = new RebaseError("invalid_version", request.baseVersion, -1, -1);
        return settle({ ok: false, error: toEngineError(error) });
      }
      const parsed = parseOp(request.op, { maxSize: this.options.maxOpSize });
      if (!parsed.ok) return settle({ ok: false, error: toEngineError(parsed.error) });
      this.enqueue({ kind: "op", request, op: parsed.op, id, settle });
    });
  }

  /** Queues a join. Resolves (never rejects) with the catch-up or the text, computed in queue order. */
  join(request: JoinRequest = {}): Promise<JoinOutcome> {
    return new Promise((resolve) => {
      const settle = (outcome: JoinOutcome) => {
        if (outcome.ok) this.callSafely(() => request.onJoined?.(outcome.result), "onJoined threw");
        resolve(outcome);
      };
      if (this.closed) return settle({ ok: false, error: closingError() });
      this.enqueue({ kind: "join", request, settle });
    });
  }

  /** Resolves when the queue has drained (every queued op committed or refused). */
  whenIdle(): Promise<void> {
    if (this.isIdle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Refuses new work and waits for what is queued to finish. */
  async close(): Promise<void> {
    this.closed = true;
    await this.whenIdle();
  }

  private enqueue(task: Task): void {
    this.queue.push(task);
    if (!this.running) void this.run();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const state = await this.load();
        if (!state) continue;
        if (this.queue[0]!.kind === "join") await this.runJoin(state, this.queue.shift() as JoinTask);
        else await this.runBatch(state, this.takeOpBatch());
      }
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
      this.callSafely(() => this.hooks.onIdle?.(this.ref), "onIdle threw");
    }
  }

  /** The loaded state, or null after refusing every queued task because the document cannot be read. */
  private async load(): Promise<LoadedState | null> {
    if (this.state) return this.state;
    let error: CollabEngineError;
    try {
      const head = await this.store.loadHead(this.ref);
      if (head) {
        this.state = {
          content: head.content,
          version: head.version,
          window: [],
          windowByOpId: new Map(),
          clientHighWater: new Map(),
        };
        return this.state;
      }
      error = documentNotFound(this.ref.documentId);
    } catch (cause) {
      error = toEngineError(cause);
      this.hooks.onError?.(this.ref, cause, "could not load a document head");
    }
    for (const task of this.queue.splice(0)) task.settle({ ok: false, error });
    return null;
  }

  private takeOpBatch(): OpTask[] {
    const batch: OpTask[] = [];
    while (batch.length < this.options.maxBatchOps && this.queue[0]?.kind === "op") {
      batch.push(this.queue.shift() as OpTask);
    }
    return batch;
  }

  private async runBatch(state: LoadedState, tasks: OpTask[]): Promise<void> {
    const pending: StoredOp[] = [];
    const accepted: { task: OpTask; op: StoredOp }[] = [];
    const repeats: { task: OpTask; version: number }[] = [];
    let content = state.content;
    try {
      await this.learnClients(state, tasks);
    } catch (cause) {
      this.hooks.onError?.(this.ref, cause, "could not look up clients' committed ops");
      const error = toEngineError(cause);
      for (const task of tasks) task.settle({ ok: false, error });
      return;
    }

    for (const task of tasks) {
      try {
        const committed = await this.findCommitted(state, pending, task);
        if (committed) {
          if (committed.version > state.version) repeats.push({ task, version: committed.version });
          else task.settle({ ok: true, version: committed.version, duplicate: true });
          continue;
        }
        const rebased = await this.rebaseToHead(state, pending, task);
        const misfit = checkOpFits(content, rebased, { maxDocumentLength: this.options.maxDocumentLength });
        if (misfit) throw misfit;
        content = apply(content, rebased);
        // Committed even when the rebase left nothing to do: the client waits for an ack at the next version.
        const op: StoredOp = {
          version: state.version + pending.length + 1,
          op: rebased,
          clientId: task.id.clientId,
          clientSeq: task.id.clientSeq,
          userId: task.request.userId,
        };
        pending.push(op);
        accepted.push({ task, op });
      } catch (error) {
        task.settle({ ok: false, error: toEngineError(error) });
      }
    }
    if (pending.length === 0) return;

    try {
      await this.store.commit(this.ref, { baseVersion: state.version, ops: pending, content });
    } catch (cause) {
      // The store may have moved on, or even kept the batch with the answer lost: reload before
      // the next task. Nothing was acked; a client resending after a rejoin is deduplicated.
      this.state = null;
      this.hooks.onError?.(this.ref, cause, "could not commit a batch of ops");
      const error = toEngineError(cause);
      for (const { task } of [...accepted, ...repeats]) task.settle({ ok: false, error });
      return;
    }

    this.advance(state, pending, content);
    for (const { task, op } of accepted) {
      task.settle({ ok: true, version: op.version, duplicate: false });
      this.callSafely(
        () => this.hooks.onCommitted?.(this.ref, toCommitted(op), task.request.origin),
        "onCommitted threw",
      );
    }
    for (const { task, version } of repeats) task.settle({ ok: true, version, duplicate: true });
    this.callSafely(
      () => this.hooks.afterCommit?.(this.ref, { content: state.content, version: state.version }, pending.length),
      "afterCommit threw",
    );
  }

  /** The committed (or batched) op with the task's client op id, or null when the op is new. */
  private async findCommitted(state: LoadedState, pending: StoredOp[], task: OpTask): Promise<StoredOp | null> {
    const { clientId, clientSeq } = task.id;
    let found: StoredOp | null | undefined = pending.find((o) => o.clientId === clientId && o.clientSeq === clientSeq);
    if (!found) {
      let highWater = state.clientHighWater.get(clientId);
      if (highWater === undefined) {
        await this.learnClients(state, [task]);
        highWater = state.clientHighWater.get(clientId) ?? 0;
      }
      // A client sends its ops in sequence, so anything above its highest committed one is new.
      if (clientSeq > highWater) return null;
      found =
        state.windowByOpId.get(formatClientOpId(task.id)) ??
        (await this.store.findOpByClientId(this.ref, clientId, clientSeq));
      if (!found) return null;
    }
    if (found.userId !== task.request.userId) {
      throw new CollabEngineError(
        "client_op_id_taken",
        "conflict",
        `Client op id ${task.request.clientOpId} was used by another user; use a fresh client id`,
      );
    }
    return found;
  }

  /**
   * Loads the highest committed sequence of every client in `tasks` not yet known, in one query:
   * a batch with the first ops of fifty editors costs one round trip, not fifty.
   */
  private async learnClients(state: LoadedState, tasks: OpTask[]): Promise<void> {
    const unknown = [...new Set(tasks.map((t) => t.id.clientId))].filter((id) => !state.clientHighWater.has(id));
    if (unknown.length === 0) return;
    const committed = await this.store.lastClientSeqs(this.ref, unknown);
    for (const clientId of unknown) this.rememberClient(state, clientId, committed.get(clientId) ?? 0);
  }

  private async rebaseToHead(state: LoadedState, pending: StoredOp[], task: OpTask): Promise<TextOp> {
    const base = task.request.baseVersion;
    const head = state.version + pending.length;
    const windowStart = state.version - state.window.length;
    const batchOps = pending.map((o) => o.op);
    if (base > head) throw new RebaseError("future_version", base, head, windowStart);
    if (base >= windowStart) {
      const ops = [...state.window.slice(base - windowStart).map((o) => o.op), ...batchOps];
      return rebase(task.op, base, { startVersion: base, ops });
    }
    const oldest = Math.max(0, head - this.options.retainedOps);
    if (base < oldest) throw new RebaseError("expired_version", base, head, oldest);
    const older = await this.loadLog(base, windowStart);
    const ops = [...older.map((o) => o.op), ...state.window.map((o) => o.op), ...batchOps];
    return rebase(task.op, base, { startVersion: base, ops });
  }

  private async runJoin(state: LoadedState, task: JoinTask): Promise<void> {
    try {
      task.settle({ ok: true, result: await this.joinResult(state, task.request) });
    } catch (error) {
      task.settle({ ok: false, error: toEngineError(error) });
    }
  }

  private async joinResult(state: LoadedState, request: JoinRequest): Promise<JoinResult> {
    const head = state.version;
    const snapshot: JoinResult = { kind: "snapshot", version: head, text: state.content };
    const known = request.lastKnownVersion;
    if (known === undefined) return snapshot;
    if (!Number.isSafeInteger(known) || known < 0 || known > head) {
      throw new CollabEngineError(
        "future_version",
        "conflict",
        `The client is at v${known} but document ${this.ref.documentId} is at v${head}; reload it`,
      );
    }
    const behind = head - known;
    // A client that did not say whether it has pending edits gets ops as long as they are kept.
    const limit =
      request.hasPending === false
        ? Math.min(this.options.snapshotJoinThreshold, this.options.retainedOps)
        : this.options.retainedOps;
    if (behind > limit) {
      if (request.hasPending !== true) return snapshot;
      throw new CollabEngineError(
        "expired_version",
        "conflict",
        `The client's pending edits are based on v${known}; history is only served from v${head - this.options.retainedOps}`,
      );
    }
    const windowStart = head - state.window.length;
    const ops =
      known >= windowStart
        ? state.window.slice(known - windowStart)
        : [...(await this.loadLog(known, windowStart)), ...state.window];
    return { kind: "ops", version: head, ops: ops.map(toCommitted) };
  }

  /** Reads ops `after + 1` … `upTo` from the store, refusing a log with holes. */
  private async loadLog(after: number, upTo: number): Promise<StoredOp[]> {
    const ops = await this.store.loadOps(this.ref, after, upTo);
    if (ops.length !== upTo - after || ops.some((op, i) => op.version !== after + i + 1)) {
      throw new CollabEngineError(
        "expired_version",
        "conflict",
        `Ops v${after + 1}…v${upTo} of document ${this.ref.documentId} are no longer kept; rejoin without pending edits`,
      );
    }
    return ops;
  }

  private advance(state: LoadedState, ops: StoredOp[], content: string): void {
    state.content = content;
    state.version += ops.length;
    for (const op of ops) {
      state.window.push(op);
      state.windowByOpId.set(formatClientOpId(op), op);
      const highWater = state.clientHighWater.get(op.clientId) ?? 0;
      this.rememberClient(state, op.clientId, Math.max(highWater, op.clientSeq));
    }
    const excess = state.window.length - this.options.windowOps;
    if (excess > 0) {
      for (const op of state.window.splice(0, excess)) state.windowByOpId.delete(formatClientOpId(op));
    }
  }

  private rememberClient(state: LoadedState, clientId: string, highWater: number): void {
    state.clientHighWater.delete(clientId);
    state.clientHighWater.set(clientId, highWater);
    // Map order is insertion order: the first key is the client heard from least recently.
    if (state.clientHighWater.size > this.options.maxKnownClients) {
      state.clientHighWater.delete(state.clientHighWater.keys().next().value!);
    }
  }

  private callSafely(fn: () => void, message: string): void {
    try {
      fn();
    } catch (error) {
      this.hooks.onError?.(this.ref, error, message);
    }
  }
}

function toCommitted(op: StoredOp): CommittedOp {
  return { ...op, clientOpId: formatClientOpId(op) };
}

function closingError(): CollabEngineError {
  return new CollabEngineError("closing", "unavailable", "The collaboration service is restarting; reconnect");
}
