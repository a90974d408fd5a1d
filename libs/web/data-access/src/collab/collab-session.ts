import { OtClient, OtProtocolError, isNoop, type OutgoingOp, type Selection, type TextOp } from "@devflow/collab-ot";
import {
  COLLAB_EVENTS,
  COLLAB_PROTOCOL_VERSION,
  CollabErrorSchema,
  DocAccessSchema,
  DocJoinReplySchema,
  DocOpReplySchema,
  DocRemoteOpSchema,
  DocRestoreReplySchema,
  PresenceLeaveSchema,
  PresenceUpdateSchema,
  type DocJoinResult,
  type DocRemoteOp,
  type ErrorCode,
} from "@devflow/contracts";
import type { CollabSocket, ConnectErrorData } from "./collab-socket";
import { Emitter } from "./emitter";
import { RemotePresences, type RemotePresence } from "./remote-presences";

import type {
  CollabSessionError,
  CollabSessionEvents,
  CollabSessionOptions,
  CollabSessionState,
  CollabStatus,
  CollabTimers,
  RestoreResult,
  SyncState,
} from "./collab-session-types";

const RESTORE_TIMEOUT_MS = 30_000;

const FATAL_JOIN_CODES: ReadonlySet<string> = new Set(["not_found", "forbidden", "tenant_mismatch"]);
const defaultTimers: CollabTimers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};
const defaultRetryDelay = (attempt: number) => Math.min(30_000, 1_000 * 2 ** attempt) * (0.75 + Math.random() * 0.5);

/**
 * One editor's live connection to one document: joins over the collab socket, drives an
 * `OtClient`, and tells the editor what to apply. Acks and remote ops are handled in the plain
 * callbacks and listeners Socket.io calls, in the order they arrive (never `emitWithAck`, which
 * lets a remote op run before the ack it follows). After a drop it rejoins from its last version
 * and resends what was pending under the same client op id, so the server applies it once. When
 * the server's messages break the version order it rejoins instead of going on with text that may
 * have diverged; if that keeps happening, it takes a fresh snapshot.
 */
export class CollabSession {
  readonly documentId: string;
  private readonly socket: CollabSocket;
  private readonly events = new Emitter<CollabSessionEvents>();
  private readonly options: CollabSessionOptions;
  private readonly timers: CollabTimers;
  private ot: OtClient | null = null;
  private status: CollabStatus = "connecting";
  private canEdit = false;
  private error: CollabSessionError | null = null;
  /** Bumped by every join and drop: callbacks from an earlier one are ignored. */
  private epoch = 0;
  /** Remote ops that arrived while a join was unanswered; replayed after it. */
  private heldDuringJoin: DocRemoteOp[] | null = null;
  private resyncStreak = 0;
  private retryAttempt = 0;
  private retryTimer: unknown = null;
  private joinTimer: unknown = null;
  private closed = false;
  private readonly others = new RemotePresences(() => this.notify("presence", this.others.list));
  private mySelection: Selection | null = null;
  private lastPresenceSent: string | null = null;
  private lastState: CollabSessionState | null = null;
  private readonly detach: (() => void)[] = [];

  constructor(options: CollabSessionOptions) {
    this.options = options;
    this.documentId = options.documentId;
    this.socket = options.socket;
    this.timers = options.timers ?? defaultTimers;
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof CollabSessionEvents>(event: K, listener: (payload: CollabSessionEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  get state(): CollabSessionState {
    const hasUnsentEdits = this.ot?.hasUnconfirmedEdits ?? false;
    return {
      status: this.status,
      syncState: syncStateOf(this.status, hasUnsentEdits, this.socket.connected),
      canEdit: this.canEdit,
      version: this.ot?.version ?? null,
      hasUnsentEdits,
      error: this.error,
    };
  }

  get presence(): readonly RemotePresence[] {
    return this.others.list;
  }

  /** Connects (or joins right away when the socket is already connected). */
  start(): void {
    this.listen("connect", () => this.handleConnect());
    this.listen("disconnect", (reason: string) => this.handleDisconnect(reason));
    this.listen("connect_error", (error: Error & { data?: ConnectErrorData }) => this.handleConnectError(error));
    this.listen(COLLAB_EVENTS.remoteOp, (payload: unknown) => this.handleRemoteOp(payload));
    this.listen(COLLAB_EVENTS.presence, (payload: unknown) => this.handlePresence(payload));
    this.listen(COLLAB_EVENTS.presenceLeave, (payload: unknown) => this.handlePresenceLeave(payload));
    this.listen(COLLAB_EVENTS.error, (payload: unknown) => this.handleServerError(payload));
    this.listen(COLLAB_EVENTS.access, (payload: unknown) => this.handleAccess(payload));
    if (this.socket.connected) this.join(false);
    else this.socket.connect();
    this.emitState();
  }

  /**
   * Records an edit the user already made in the editor (an op on the editor's text before the
   * edit). Returns false when the session cannot take edits; the editor should be read-only then.
   */
  applyLocal(op: TextOp): boolean {
    if (this.closed || this.ot === null) return false;
    if (!this.canEdit) {
      // The editor let a change through that the server would refuse: put the server's text back.
      this.resync(true, "This document is read-only for you; your change was undone");
      return false;
    }
    const outgoing = this.ot.applyLocal(op);
    this.others.applyLocal(op);
    if (outgoing) this.sendOp(outgoing);
    this.emitState();
    return true;
  }

  /**
   * Asks the server to bring the text back to `version`. The server turns it into new ops from
   * the current text, which reach this editor and everyone else as remote ops; the promise
   * settles with the server's answer (or a refusal when the session is not live).
   */
  restore(version: number): Promise<RestoreResult> {
    if (this.closed || this.status !== "ready" || !this.socket.connected) {
      return Promise.resolve({ ok: false, code: "unavailable", message: "Not connected to the live editing service" });
    }
    if (!this.canEdit) {
      return Promise.resolve({
        ok: false,
        code: "forbidden",
        message: "You can view this document but not restore it",
      });
    }
    return new Promise((resolve) => {
      let settled = false;
      let timer: unknown = null;
      const settle = (result: RestoreResult) => {
        if (settled) return;
        settled = true;
        if (timer !== null) this.timers.clearTimeout(timer);
        resolve(result);
      };
      timer = this.timers.setTimeout(
        () => settle({ ok: false, code: "unavailable", message: "The live editing service did not answer" }),
        RESTORE_TIMEOUT_MS,
      );
      this.socket.emit(
        COLLAB_EVENTS.restore,
        { v: COLLAB_PROTOCOL_VERSION, documentId: this.documentId, version },
        (raw: unknown) => {
          const parsed = DocRestoreReplySchema.safeParse(raw);
          if (!parsed.success) {
            settle({
              ok: false,
              code: "internal",
              message: "The live editing service sent an answer this editor does not understand",
            });
            return;
          }
          const reply = parsed.data;
          settle(reply.ok ? reply : { ok: false, code: reply.code, message: reply.message });
        },
      );
    });
  }

  /** The local caret/selection on the editor's text, or null when the editor lost focus. */
  setSelection(selection: Selection | null): void {
    this.mySelection = selection;
    this.sendPresence();
  }

  /**
   * Places a span the server reported at `version` (a comment's anchor) on the editor's text, as
   * other people's selections are placed. Null until the editor has reached `version`, or when
   * `version` is older than the ops it keeps.
   */
  localizeSelection(selection: Selection, version: number): Selection | null {
    return this.ot?.localizeSelection(selection, version) ?? null;
  }

  /** Tries again now after a failure or while offline, instead of waiting for the next attempt. */
  retry(): void {
    if (this.closed) return;
    this.clearRetry();
    this.retryAttempt = 0;
    this.error = null;
    if (this.socket.connected) this.join(false);
    else {
      this.status = this.ot ? "offline" : "connecting";
      this.socket.connect();
    }
    this.emitState();
  }

  /**
   * Rejoins the document. `full` drops the editor's version and takes a snapshot: for the editor
   * to call when an op does not fit its text, which means the two have diverged.
   */
  resync(full: boolean, reason = "The editor's text no longer matched the server; reloading it"): void {
    if (this.closed) return;
    this.resyncStreak += 1;
    this.reportError({ code: "protocol", message: reason, fatal: false });
    // A server that keeps breaking the order, or an editor that keeps diverging: start from a snapshot.
    const fromSnapshot = full || this.resyncStreak > 2;
    if (!this.socket.connected) return;
    if (this.resyncStreak > 4) {
      this.epoch += 1;
      this.ot?.disconnect();
      this.status = "joining";
      this.scheduleRetry(() => this.join(true));
      this.emitState();
      return;
    }
    this.join(fromSnapshot);
  }

  /** Leaves the document and closes the socket. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.epoch += 1;
    this.clearRetry();
    this.clearJoinTimer();
    for (const off of this.detach.splice(0)) off();
    this.socket.disconnect();
    this.events.clear();
  }

  private listen<A extends unknown[]>(event: string, listener: (...args: A) => void): void {
    const wrapped = listener as unknown as (...args: never[]) => void;
    this.socket.on(event, wrapped);
    this.detach.push(() => this.socket.off(event, wrapped));
  }

  private handleConnect(): void {
    if (this.closed) return;
    this.retryAttempt = 0;
    this.clearRetry();
    if (this.error && !this.error.fatal) this.error = null;
    this.join(false);
  }

  private handleDisconnect(reason: string): void {
    if (this.closed) return;
    this.epoch += 1;
    this.clearJoinTimer();
    this.ot?.disconnect();
    this.heldDuringJoin = null;
    this.lastPresenceSent = null;
    if (this.status !== "failed") this.status = this.ot ? "offline" : "connecting";
    this.others.clear();
    // Socket.io reconnects by itself after a lost transport, but not after the server closed the socket.
    if (!this.socket.active && this.status !== "failed") this.scheduleRetry(() => this.socket.connect());
    if (reason !== "io client disconnect") this.emitState();
  }

  private handleConnectError(error: Error & { data?: ConnectErrorData }): void {
    if (this.closed) return;
    const code = error.data?.code;
    if (code === "unauthenticated") this.options.onTokenRejected?.();
    if (code === "forbidden" || code === "tenant_mismatch") {
      this.fail({ code, message: error.data?.message ?? error.message, fatal: true });
      return;
    }
    this.reportError({
      code: isErrorCode(code) ? code : "unavailable",
      message: code ? (error.data?.message ?? error.message) : "Could not reach the live editing service",
      fatal: false,
    });
    if (!this.socket.active) this.scheduleRetry(() => this.socket.connect());
    this.emitState();
  }

  private join(fromSnapshot: boolean): void {
    const epoch = ++this.epoch;
    this.clearJoinTimer();
    this.ot?.disconnect();
    this.status = "joining";
    this.heldDuringJoin = [];
    const lastKnownVersion = fromSnapshot || this.ot === null ? undefined : this.ot.version;
    // With unsent edits the server must answer with catch-up ops (they can be rebased), never a snapshot.
    const hasPending = !fromSnapshot && this.ot !== null && this.ot.hasUnconfirmedEdits;
    this.socket.emit(
      COLLAB_EVENTS.join,
      {
        v: COLLAB_PROTOCOL_VERSION,
        documentId: this.documentId,
        ...(lastKnownVersion !== undefined && { lastKnownVersion, hasPending }),
      },
      (reply: unknown) => {
        if (epoch === this.epoch) this.handleJoinReply(reply, fromSnapshot);
      },
    );
    this.joinTimer = this.timers.setTimeout(() => {
      if (epoch !== this.epoch || this.closed) return;
      this.reportError({
        code: "unavailable",
        message: "The live editing service did not answer; trying again",
        fatal: false,
      });
      this.join(fromSnapshot);
    }, this.options.joinTimeoutMs ?? 15_000);
    this.emitState();
  }

  private handleJoinReply(raw: unknown, fromSnapshot: boolean): void {
    this.clearJoinTimer();
    const parsed = DocJoinReplySchema.safeParse(raw);
    if (!parsed.success) {
      this.resync(true, "The live editing service sent a join reply this editor does not understand");
      return;
    }
    const reply = parsed.data;
    if (!reply.ok) {
      if (FATAL_JOIN_CODES.has(reply.code)) {
        this.fail({ code: reply.code, message: reply.message, fatal: true });
        return;
      }
      this.reportError({ code: reply.code, message: reply.message, fatal: false });
      // `conflict`: the server can no longer catch this editor up from its version (it is ahead of
      // the server, or its history is gone); only a fresh snapshot gets it going again.
      const nextFromSnapshot = fromSnapshot || reply.code === "conflict";
      const epoch = this.epoch;
      this.scheduleRetry(() => {
        if (epoch === this.epoch && this.socket.connected) this.join(nextFromSnapshot);
      });
      this.emitState();
      return;
    }
    this.canEdit = reply.canEdit;
    try {
      if (reply.kind === "snapshot") this.takeSnapshot(reply);
      else this.catchUp(reply);
    } catch (error) {
      this.recover(error);
      return;
    }
    this.status = "ready";
    if (this.error?.code !== "protocol") this.error = null;
    const pending = this.ot!.resendPending();
    if (pending) this.sendOp(pending);
    const held = this.heldDuringJoin ?? [];
    this.heldDuringJoin = null;
    const epoch = this.epoch;
    for (const message of held) {
      if (epoch !== this.epoch) return;
      if (message.version > this.ot!.version) this.applyRemote(message);
    }
    this.others.placeWaiting(this.ot);
    this.sendPresence();
    this.emitState();
  }

  private takeSnapshot(reply: Extract<DocJoinResult, { kind: "snapshot" }>): void {
    const hadUnsentEdits = this.ot?.hasUnconfirmedEdits ?? false;
    // A new id: the server remembers the old client's op ids and would treat new ops as repeats.
    this.ot = new OtClient({ clientId: this.newClientId(), version: reply.version });
    this.others.clear();
    this.events.emit("reset", { text: reply.text, version: reply.version, canEdit: reply.canEdit, hadUnsentEdits });
  }

  private catchUp(reply: Extract<DocJoinResult, { kind: "ops" }>): void {
    const ot = this.ot;
    if (ot === null)
      throw new OtProtocolError("remote_out_of_order", "Catch-up ops without a snapshot", 0, reply.version);
    for (const committed of reply.ops) {
      if (committed.version <= ot.version) continue;
      const result = ot.onRemote(committed.op, committed.version, committed.clientOpId);
      this.deliverRemote(result.op, committed.version, committed.userId);
    }
    if (ot.version !== reply.version) {
      throw new OtProtocolError(
        "remote_out_of_order",
        `Caught up to v${ot.version}, the server is at v${reply.version}`,
        reply.version,
        ot.version,
      );
    }
  }

  private sendOp(outgoing: OutgoingOp): void {
    if (this.status !== "ready" || !this.socket.connected) return;
    const epoch = this.epoch;
    this.socket.emit(
      COLLAB_EVENTS.op,
      {
        v: COLLAB_PROTOCOL_VERSION,
        documentId: this.documentId,
        clientOpId: outgoing.clientOpId,
        baseVersion: outgoing.baseVersion,
        op: outgoing.op,
      },
      (reply: unknown) => {
        if (epoch === this.epoch) this.handleOpReply(reply, outgoing.clientOpId);
      },
    );
  }

  private handleOpReply(raw: unknown, clientOpId: string): void {
    const parsed = DocOpReplySchema.safeParse(raw);
    if (!parsed.success) {
      this.resync(false, "The live editing service sent an ack this editor does not understand");
      return;
    }
    const reply = parsed.data;
    if (!reply.ok) {
      this.handleRefusedOp(reply.code, reply.message, clientOpId);
      return;
    }
    try {
      const next = this.ot!.onAck(reply.version, reply.clientOpId);
      this.resyncStreak = 0;
      this.notify("ack", { version: reply.version, clientOpId: reply.clientOpId });
      if (next) this.sendOp(next);
    } catch (error) {
      this.recover(error);
      return;
    }
    this.sendPresence();
    this.emitState();
  }

  private handleRefusedOp(code: ErrorCode, message: string, clientOpId: string): void {
    if (code === "rate_limited") {
      const epoch = this.epoch;
      this.scheduleRetry(() => {
        const pending = this.ot?.pending;
        if (epoch === this.epoch && pending?.clientOpId === clientOpId) this.sendOp(pending);
      });
      return;
    }
    if (code === "unavailable") {
      // Nothing was applied (the document's owner could not be reached, or a commit failed): rejoin
      // from this version and resend the op under the same id, which the server applies at most once.
      this.reportError({ code, message, fatal: false });
      const epoch = this.epoch;
      this.scheduleRetry(() => {
        if (epoch === this.epoch && this.socket.connected) this.join(false);
      });
      this.emitState();
      return;
    }
    if (code === "forbidden") this.canEdit = false;
    // The server will never apply this op, so the editor's text is ahead of what anyone else has.
    this.resync(true, `The server refused an edit: ${message}`);
    this.reportError({ code, message, fatal: false });
  }

  private handleRemoteOp(raw: unknown): void {
    if (this.closed) return;
    const parsed = DocRemoteOpSchema.safeParse(raw);
    if (!parsed.success) {
      // A version is now missing: the next op would be out of order anyway.
      if (this.ot && this.status === "ready") this.resync(false, "Received an edit this editor does not understand");
      return;
    }
    const message = parsed.data;
    if (message.documentId !== this.documentId) return;
    if (this.heldDuringJoin) {
      this.heldDuringJoin.push(message);
      return;
    }
    if (this.ot === null || this.status !== "ready") return;
    this.applyRemote(message);
  }

  private applyRemote(message: DocRemoteOp): void {
    try {
      const result = this.ot!.onRemote(message.op, message.version, message.clientOpId);
      this.deliverRemote(result.op, message.version, message.userId);
      this.resyncStreak = 0;
      if (result.send) this.sendOp(result.send);
    } catch (error) {
      this.recover(error);
      return;
    }
    this.others.placeWaiting(this.ot);
    this.emitState();
  }

  /** Hands a remote op to the editor and moves everyone's presence over it. */
  private deliverRemote(op: TextOp, version: number, userId: string): void {
    if (isNoop(op)) return;
    this.events.emit("remoteOp", { op, version, userId });
    this.others.applyRemote(op, userId);
  }

  private recover(error: unknown): void {
    if (error instanceof OtProtocolError) {
      this.resync(false, `Edits arrived out of order (${error.message}); rejoining the document`);
      return;
    }
    // The editor could not apply something: its text and the server's are no longer the same.
    this.resync(true, error instanceof Error ? error.message : String(error));
  }

  private handlePresence(raw: unknown): void {
    const parsed = PresenceUpdateSchema.safeParse(raw);
    if (!parsed.success || parsed.data.documentId !== this.documentId) return;
    if (parsed.data.sessionId === this.socket.id) return;
    this.others.update(parsed.data, this.ot);
  }

  private handlePresenceLeave(raw: unknown): void {
    const parsed = PresenceLeaveSchema.safeParse(raw);
    if (!parsed.success || parsed.data.documentId !== this.documentId) return;
    this.others.remove(parsed.data.sessionId);
  }

  /** A role change while the document is open: the editor becomes read-only, or editable again. */
  private handleAccess(raw: unknown): void {
    const parsed = DocAccessSchema.safeParse(raw);
    if (!parsed.success || parsed.data.documentId !== this.documentId) return;
    if (parsed.data.canEdit === this.canEdit) return;
    this.canEdit = parsed.data.canEdit;
    this.emitState();
  }

  private handleServerError(raw: unknown): void {
    const parsed = CollabErrorSchema.safeParse(raw);
    if (!parsed.success) return;
    const { code, message, documentId } = parsed.data;
    if (documentId !== undefined && documentId !== this.documentId) return;
    this.reportError({ code, message, fatal: false });
    // Access changed under the session: the join answers with the new rights, or refuses.
    if (code === "forbidden" && this.socket.connected) this.join(false);
    this.emitState();
  }

  private sendPresence(): void {
    if (this.status !== "ready" || !this.socket.connected || this.ot === null) return;
    // Unconfirmed local edits: the selection is on text the server does not have yet.
    const version = this.ot.presenceVersion();
    if (version === null) return;
    const key = `${version}:${this.mySelection ? `${this.mySelection.anchor}-${this.mySelection.head}` : "none"}`;
    if (key === this.lastPresenceSent) return;
    this.lastPresenceSent = key;
    this.socket.emit(COLLAB_EVENTS.presence, {
      v: COLLAB_PROTOCOL_VERSION,
      documentId: this.documentId,
      version,
      selection: this.mySelection,
    });
  }

  private fail(error: CollabSessionError): void {
    this.epoch += 1;
    this.clearJoinTimer();
    this.clearRetry();
    this.status = "failed";
    this.ot?.disconnect();
    this.reportError(error);
    this.emitState();
  }

  private reportError(error: CollabSessionError): void {
    this.error = error;
    this.notify("error", error);
  }

  private scheduleRetry(action: () => void): void {
    this.clearRetry();
    const delay = (this.options.retryDelayMs ?? defaultRetryDelay)(this.retryAttempt);
    this.retryAttempt += 1;
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      if (!this.closed && this.status !== "failed") action();
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private clearJoinTimer(): void {
    if (this.joinTimer !== null) this.timers.clearTimeout(this.joinTimer);
    this.joinTimer = null;
  }

  private newClientId(): string {
    return (this.options.newClientId ?? (() => globalThis.crypto.randomUUID()))();
  }

  /** For events that only inform the UI: a failing listener must not stop the protocol. */
  private notify<K extends "presence" | "state" | "error" | "ack">(event: K, payload: CollabSessionEvents[K]): void {
    try {
      this.events.emit(event, payload);
    } catch (error) {
      console.error(`A collab session "${event}" listener failed`, error);
    }
  }

  private emitState(): void {
    const state = this.state;
    const last = this.lastState;
    if (
      last &&
      last.status === state.status &&
      last.syncState === state.syncState &&
      last.canEdit === state.canEdit &&
      last.version === state.version &&
      last.hasUnsentEdits === state.hasUnsentEdits &&
      last.error === state.error
    ) {
      return;
    }
    this.lastState = state;
    this.notify("state", state);
  }
}

function syncStateOf(status: CollabStatus, hasUnsentEdits: boolean, connected: boolean): SyncState {
  if (status === "ready") return hasUnsentEdits ? "syncing" : "saved";
  if (status === "joining" && connected) return "syncing";
  return "offline";
}

function isErrorCode(code: string | undefined): code is ErrorCode {
  return CollabErrorSchema.shape.code.safeParse(code).success;
}
