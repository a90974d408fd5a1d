import { OtClient, apply, type OutgoingOp, type TextOp } from "@devflow/collab-ot";
import {
  COLLAB_EVENTS,
  COLLAB_PROTOCOL_VERSION,
  DocJoinReplySchema,
  DocOpReplySchema,
  DocRemoteOpSchema,
  type CollabError,
  type DocJoinReply,
  type DocJoinResult,
  type DocOpReply,
  type PresenceLeave,
  type PresenceUpdate,
} from "@devflow/contracts";
import { io, type Socket } from "socket.io-client";

/** Opens a Socket.io connection over websockets only, without automatic reconnects. */
export function openSocket(url: string, token: string): Promise<Socket> {
  const socket = io(url, {
    path: "/socket.io",
    auth: { token },
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Emits with an ack callback and resolves with the reply (fine for one-off requests in tests). */
export function request<T = unknown>(socket: Socket, event: string, payload: unknown): Promise<T> {
  return new Promise((resolve) => socket.emit(event, payload, (reply: T) => resolve(reply)));
}

/**
 * An editor as the browser runs it, minus CodeMirror: the `OtClient` fed from plain ack callbacks
 * and listeners in arrival order, a text, reconnects that rejoin with the last version and resend
 * the pending op. Refusals are collected in `refusals`; rate-limited ops are resent shortly after.
 */
export class TestEditor {
  ot: OtClient | null = null;
  text = "";
  canEdit = false;
  socket: Socket | null = null;
  readonly refusals: DocOpReply[] = [];
  readonly errors: CollabError[] = [];
  readonly presence: (PresenceUpdate | PresenceLeave)[] = [];
  readonly remoteVersions: number[] = [];
  /** While true, op replies are lost on the way back, as when a connection dies after sending. */
  loseAcks = false;
  /** Every ack received: client op id → the version the server committed it at. */
  readonly acks = new Map<string, number>();
  /** Called right after an op is emitted (first send or resend), e.g. to fail the server mid-flight. */
  onSent: ((out: OutgoingOp) => void) | null = null;
  private epoch = 0;

  constructor(
    private readonly url: string,
    private readonly token: string,
    readonly documentId: string,
    private readonly clientId: string,
  ) {}

  async connect(): Promise<void> {
    const socket = await openSocket(this.url, this.token);
    this.socket = socket;
    const epoch = ++this.epoch;
    socket.on(COLLAB_EVENTS.remoteOp, (payload: unknown) => {
      if (epoch !== this.epoch || this.ot === null) return;
      const remote = DocRemoteOpSchema.parse(payload);
      if (remote.version <= this.ot.version) return;
      this.remoteVersions.push(remote.version);
      const result = this.ot.onRemote(remote.op, remote.version, remote.clientOpId);
      this.text = apply(this.text, result.op);
      if (result.send) this.send(result.send);
    });
    socket.on(COLLAB_EVENTS.presence, (update: PresenceUpdate) => this.presence.push(update));
    socket.on(COLLAB_EVENTS.presenceLeave, (leave: PresenceLeave) => this.presence.push(leave));
    socket.on(COLLAB_EVENTS.error, (error: CollabError) => this.errors.push(error));
  }

  /** Joins (first open, or a rejoin with the last version and pending edits) and applies the reply. */
  join(): Promise<DocJoinReply> {
    const socket = this.requireSocket();
    const known = this.ot && { lastKnownVersion: this.ot.version, hasPending: this.ot.hasUnconfirmedEdits };
    return new Promise((resolve) => {
      socket.emit(
        COLLAB_EVENTS.join,
        { v: COLLAB_PROTOCOL_VERSION, documentId: this.documentId, ...known },
        (raw: unknown) => {
          const reply = DocJoinReplySchema.parse(raw);
          if (reply.ok) {
            this.canEdit = reply.canEdit;
            const pending = applyJoinResult(this, reply, `${this.clientId}-${this.epoch}`);
            if (pending) this.send(pending);
          }
          resolve(reply);
        },
      );
    });
  }

  /** Makes an edit as the user would: applied locally at once, sent when nothing is in flight. */
  edit(op: TextOp): void {
    this.text = apply(this.text, op);
    const out = this.ot!.applyLocal(op);
    if (out) this.send(out);
  }

  /** The connection drops: unconfirmed edits are kept for the rejoin. */
  drop(): void {
    this.epoch += 1;
    this.ot?.disconnect();
    this.socket?.disconnect();
    this.socket = null;
  }

  get isSynced(): boolean {
    return this.ot?.state === "synchronized";
  }

  /** Sends an op payload exactly as given, outside the `OtClient` (a resend, a malformed op). */
  emitOp(payload: unknown): Promise<DocOpReply> {
    return request<DocOpReply>(this.requireSocket(), COLLAB_EVENTS.op, payload);
  }

  send(out: OutgoingOp): void {
    const socket = this.socket;
    if (!socket) return;
    const epoch = this.epoch;
    socket.emit(
      COLLAB_EVENTS.op,
      { v: COLLAB_PROTOCOL_VERSION, documentId: this.documentId, ...out },
      (raw: unknown) => {
        if (epoch !== this.epoch || this.loseAcks) return;
        const reply = DocOpReplySchema.parse(raw);
        if (!reply.ok) {
          this.refusals.push(reply);
          if (reply.code === "rate_limited") {
            setTimeout(() => {
              const pending = this.ot?.pending;
              if (epoch === this.epoch && pending?.clientOpId === out.clientOpId) this.send(pending);
            }, 50);
          }
          return;
        }
        this.acks.set(reply.clientOpId, reply.version);
        const next = this.ot!.onAck(reply.version, reply.clientOpId);
        if (next) this.send(next);
      },
    );
    this.onSent?.(out);
  }

  private requireSocket(): Socket {
    if (!this.socket) throw new Error("connect() first");
    return this.socket;
  }
}

/**
 * Takes a successful join reply into an editor's state: a snapshot starts a new OT client (a new
 * client id, as the browser does), a catch-up applies the ops it has not seen. Returns the op
 * that was awaiting its ack, to be resent under the same id (the server applies it once).
 */
export function applyJoinResult(
  editor: { ot: OtClient | null; text: string },
  reply: DocJoinResult,
  snapshotClientId: string,
): OutgoingOp | null {
  if (reply.kind === "snapshot") {
    editor.ot = new OtClient({ clientId: snapshotClientId, version: reply.version });
    editor.text = reply.text;
    return null;
  }
  for (const committed of reply.ops) {
    if (committed.version <= editor.ot!.version) continue;
    const result = editor.ot!.onRemote(committed.op, committed.version, committed.clientOpId);
    editor.text = apply(editor.text, result.op);
  }
  return editor.ot!.resendPending();
}
