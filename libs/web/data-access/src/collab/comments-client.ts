import {
  COLLAB_PROTOCOL_VERSION,
  COMMENT_EVENTS,
  CommentChangedSchema,
  CommentDeletedReplySchema,
  CommentDeletedSchema,
  CommentListReplySchema,
  CommentThreadReplySchema,
  type CommentDeleted,
  type CommentThreadDto,
  type ErrorCode,
} from "@devflow/contracts";
import type { z } from "zod";
import type { CollabSession } from "./collab-session";
import type { CollabSessionState, CollabTimers } from "./collab-session-types";
import type { CollabSocket } from "./collab-socket";
import { Emitter } from "./emitter";

/** `loading` until the first list arrives after a join; `unavailable` while it cannot be had. */
export type CommentsStatus = "loading" | "ready" | "unavailable";

export interface CommentsState {
  status: CommentsStatus;
  /** Every thread, in document order as the server last reported it. */
  threads: readonly CommentThreadDto[];
  /** Why the list could not be loaded, when it could not. */
  error: string | null;
}

/** How a write went: done (the thread as it is now, or nothing after a delete) or refused. */
export type CommentWriteResult =
  { ok: true; thread: CommentThreadDto | null } | { ok: false; code: ErrorCode | "unavailable"; message: string };

/** A selection on the editor's text as it is when the comment is sent. */
export type ReadSelection = () => { from: number; to: number } | null;

export interface CommentsClientOptions {
  documentId: string;
  /** The socket of the document's `CollabSession`: comments need its room. */
  socket: CollabSocket;
  session: CollabSession;
  /** How long to wait for an answer, or for local edits to be confirmed before placing a new anchor. */
  timeoutMs?: number;
  timers?: CollabTimers;
}

interface Events {
  state: CommentsState;
}

const defaultTimers: CollabTimers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * A document's comment threads, kept live over the collab socket: listed after every join, then
 * updated from `comment:changed`/`comment:deleted` and from the answers to this client's own
 * writes. Broadcasts that arrive while a list is on its way are replayed on top of it, so a
 * thread changed meanwhile is never lost.
 */
export class CommentsClient {
  private readonly events = new Emitter<Events>();
  private readonly threads = new Map<string, CommentThreadDto>();
  private readonly timers: CollabTimers;
  private readonly timeoutMs: number;
  private status: CommentsStatus = "loading";
  private error: string | null = null;
  /** Broadcasts received while a list request is unanswered; null when none is. */
  private heldDuringList:
    ({ kind: "changed"; thread: CommentThreadDto } | { kind: "deleted"; message: CommentDeleted })[] | null = null;
  private listEpoch = 0;
  private wasReady = false;
  private readonly detach: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: CommentsClientOptions) {
    this.timers = options.timers ?? defaultTimers;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  on(event: "state", listener: (state: CommentsState) => void): () => void {
    return this.events.on(event, listener);
  }

  get state(): CommentsState {
    return { status: this.status, threads: this.sorted(), error: this.error };
  }

  start(): void {
    this.listen(COMMENT_EVENTS.changed, (raw) => {
      const parsed = CommentChangedSchema.safeParse(raw);
      if (!parsed.success || parsed.data.documentId !== this.options.documentId) return;
      if (this.heldDuringList) this.heldDuringList.push({ kind: "changed", thread: parsed.data.thread });
      else if (this.upsert(parsed.data.thread)) this.emit();
    });
    this.listen(COMMENT_EVENTS.deleted, (raw) => {
      const parsed = CommentDeletedSchema.safeParse(raw);
      if (!parsed.success || parsed.data.documentId !== this.options.documentId) return;
      if (this.heldDuringList) this.heldDuringList.push({ kind: "deleted", message: parsed.data });
      else if (this.forget(parsed.data)) this.emit();
    });
    this.detach.push(this.options.session.on("state", (state) => this.handleSessionState(state)));
    this.handleSessionState(this.options.session.state);
  }

  close(): void {
    this.closed = true;
    this.listEpoch += 1;
    for (const off of this.detach.splice(0)) off();
    this.events.clear();
  }

  /**
   * Starts a thread on the selection `readSelection` returns. The selection is read only once the
   * editor's own edits are all confirmed, so its offsets are on the server's text at a known
   * version (as presence is); the server moves it over anything committed since.
   */
  async createThread(input: {
    body: string;
    mentions: string[];
    readSelection: ReadSelection;
  }): Promise<CommentWriteResult> {
    const version = await this.synchronizedVersion();
    if (version === null) return unavailable("Your latest edits are not saved yet; try again in a moment");
    const selection = input.readSelection();
    if (!selection || selection.from >= selection.to) {
      return { ok: false, code: "validation_failed", message: "Select some text to comment on" };
    }
    return this.write(COMMENT_EVENTS.create, CommentThreadReplySchema, {
      body: input.body,
      mentions: input.mentions,
      anchor: { from: selection.from, to: selection.to, version },
    });
  }

  reply(threadId: string, body: string, mentions: string[]): Promise<CommentWriteResult> {
    return this.write(COMMENT_EVENTS.reply, CommentThreadReplySchema, { threadId, body, mentions });
  }

  update(commentId: string, body: string, mentions: string[]): Promise<CommentWriteResult> {
    return this.write(COMMENT_EVENTS.update, CommentThreadReplySchema, { commentId, body, mentions });
  }

  resolve(threadId: string): Promise<CommentWriteResult> {
    return this.write(COMMENT_EVENTS.resolve, CommentThreadReplySchema, { threadId });
  }

  reopen(threadId: string): Promise<CommentWriteResult> {
    return this.write(COMMENT_EVENTS.reopen, CommentThreadReplySchema, { threadId });
  }

  remove(commentId: string): Promise<CommentWriteResult> {
    return this.write(COMMENT_EVENTS.delete, CommentDeletedReplySchema, { commentId });
  }

  /** Asks for the list again (after an error, or when the user wants to be sure). */
  reload(): void {
    if (this.isSessionReady()) this.load();
  }

  private handleSessionState(state: CollabSessionState): void {
    const ready = state.status === "ready";
    // Every (re)join: the room was left and rejoined, so broadcasts may have been missed.
    if (ready && !this.wasReady) this.load();
    this.wasReady = ready;
  }

  private load(): void {
    const epoch = ++this.listEpoch;
    this.heldDuringList = [];
    if (this.threads.size === 0) this.status = "loading";
    this.emit();
    this.request(COMMENT_EVENTS.list, {}, (raw) => {
      if (epoch !== this.listEpoch || this.closed) return;
      const held = this.heldDuringList ?? [];
      this.heldDuringList = null;
      const parsed = raw === null ? null : CommentListReplySchema.safeParse(raw);
      if (!parsed?.success || !parsed.data.ok) {
        this.status = "unavailable";
        this.error =
          parsed?.success && !parsed.data.ok ? parsed.data.message : "The comments could not be loaded; try again";
      } else {
        this.threads.clear();
        for (const thread of parsed.data.list.items) this.threads.set(thread.id, thread);
        for (const event of held) {
          if (event.kind === "changed") this.upsert(event.thread);
          else this.forget(event.message);
        }
        this.status = "ready";
        this.error = null;
      }
      this.emit();
    });
  }

  private async write(
    event: string,
    schema: z.ZodType<{ ok: true; thread?: CommentThreadDto } | { ok: false; code: ErrorCode; message: string }>,
    payload: Record<string, unknown>,
  ): Promise<CommentWriteResult> {
    if (!this.isSessionReady()) return unavailable("Not connected to the live editing service");
    const raw = await new Promise<unknown>((resolve) => this.request(event, payload, resolve));
    if (raw === null) return unavailable("The live editing service did not answer");
    const parsed = schema.safeParse(raw);
    if (!parsed.success)
      return { ok: false, code: "internal", message: "The server sent an answer this page does not understand" };
    const reply = parsed.data;
    if (!reply.ok) return { ok: false, code: reply.code, message: reply.message };
    if (reply.thread) {
      if (this.upsert(reply.thread)) this.emit();
      return { ok: true, thread: reply.thread };
    }
    const deleted = CommentDeletedSchema.safeParse(raw);
    if (deleted.success && this.forget(deleted.data)) this.emit();
    return { ok: true, thread: null };
  }

  /** Emits with an ack; `done` gets the reply, or null after the timeout. */
  private request(event: string, payload: Record<string, unknown>, done: (reply: unknown) => void): void {
    let settled = false;
    const timer = this.timers.setTimeout(() => {
      if (settled) return;
      settled = true;
      done(null);
    }, this.timeoutMs);
    this.options.socket.emit(
      event,
      { v: COLLAB_PROTOCOL_VERSION, documentId: this.options.documentId, ...payload },
      (reply: unknown) => {
        if (settled) return;
        settled = true;
        this.timers.clearTimeout(timer);
        done(reply);
      },
    );
  }

  /** The server version the editor's text is exactly at, once its own edits are confirmed; null on timeout. */
  private synchronizedVersion(): Promise<number | null> {
    const now = this.options.session.state;
    if (isSynchronized(now)) return Promise.resolve(now.version);
    return new Promise((resolve) => {
      const timer = this.timers.setTimeout(() => {
        off();
        resolve(null);
      }, this.timeoutMs);
      const off = this.options.session.on("state", (state) => {
        if (!isSynchronized(state)) return;
        off();
        this.timers.clearTimeout(timer);
        resolve(state.version);
      });
    });
  }

  private isSessionReady(): boolean {
    return !this.closed && this.options.session.state.status === "ready" && this.options.socket.connected;
  }

  /** Keeps the newer of two copies of a thread; true when something changed. */
  private upsert(thread: CommentThreadDto): boolean {
    const known = this.threads.get(thread.id);
    if (known && known.updatedAt > thread.updatedAt) return false;
    this.threads.set(thread.id, thread);
    return true;
  }

  private forget({ threadId, commentId }: CommentDeleted): boolean {
    const thread = this.threads.get(threadId);
    if (!thread) return false;
    if (threadId === commentId) return this.threads.delete(threadId);
    const comments = thread.comments.filter((c) => c.id !== commentId);
    if (comments.length === thread.comments.length) return false;
    this.threads.set(threadId, { ...thread, comments });
    return true;
  }

  private sorted(): CommentThreadDto[] {
    return [...this.threads.values()].sort(
      (a, b) => a.anchor.from - b.anchor.from || a.createdAt.localeCompare(b.createdAt),
    );
  }

  private listen(event: string, listener: (raw: unknown) => void): void {
    const wrapped = listener as unknown as (...args: never[]) => void;
    this.options.socket.on(event, wrapped);
    this.detach.push(() => this.options.socket.off(event, wrapped));
  }

  private emit(): void {
    if (this.closed) return;
    try {
      this.events.emit("state", this.state);
    } catch (error) {
      console.error("A comments listener failed", error);
    }
  }
}

function isSynchronized(state: CollabSessionState): state is CollabSessionState & { version: number } {
  return state.status === "ready" && !state.hasUnsentEdits && state.version !== null;
}

function unavailable(message: string): CommentWriteResult {
  return { ok: false, code: "unavailable", message };
}
