import { OtClient, OtProtocolError, apply, type OutgoingOp, type TextOp } from "@devflow/collab-ot";
import {
  COLLAB_EVENTS,
  COLLAB_PROTOCOL_VERSION,
  DocJoinReplySchema,
  DocOpReplySchema,
  DocRemoteOpSchema,
  type DocJoinReply,
  type DocOpReply,
} from "@devflow/contracts";
import type { Socket } from "socket.io-client";
import { applyJoinResult, openSocket } from "./test-editor";

/**
 * An editor as the browser's collab session runs it, for tests where instances come and go: when
 * its instance disappears it connects to `fallback()` and rejoins with its last version and pending
 * edits; an ack or remote op out of version order, or an `unavailable` refusal, makes it rejoin
 * (counted in `outOfOrder` and `refusals`, so a test can assert the servers never needed that).
 */
export class ClusterEditor {
  ot: OtClient | null = null;
  text = "";
  socket: Socket | null = null;
  /** Every ack received: client op id → the version the server committed it at. */
  readonly acks = new Map<string, number>();
  readonly refusals: DocOpReply[] = [];
  readonly remoteVersions: number[] = [];
  /** Acks and remote ops that did not carry the next version (each one made the editor rejoin). */
  outOfOrder = 0;
  /** Connections after the first, to another instance when one went away. */
  reconnects = 0;
  /** Bumped by every join and connection: answers to an earlier one are ignored. */
  private epoch = 0;
  private connection = 0;
  private joining = false;
  private closed = false;

  constructor(
    public url: string,
    private readonly token: string,
    readonly documentId: string,
    private readonly clientId: string,
    private readonly fallback: () => string,
  ) {}

  async connect(): Promise<void> {
    const socket = await openSocket(this.url, this.token);
    this.socket = socket;
    this.epoch += 1;
    const connection = ++this.connection;
    socket.on(COLLAB_EVENTS.remoteOp, (payload: unknown) => {
      if (connection === this.connection) this.onRemote(payload);
    });
    socket.on("disconnect", (reason: string) => {
      if (connection !== this.connection || this.closed || reason === "io client disconnect") return;
      void this.moveTo(this.fallback());
    });
  }

  /** Joins (first open, or a rejoin with the last version and pending edits) and applies the reply. */
  join(): Promise<DocJoinReply> {
    const socket = this.socket;
    if (!socket) throw new Error("connect() first");
    const epoch = ++this.epoch;
    this.joining = true;
    this.ot?.disconnect();
    const known = this.ot && { lastKnownVersion: this.ot.version, hasPending: this.ot.hasUnconfirmedEdits };
    return new Promise((resolve) => {
      socket.emit(
        COLLAB_EVENTS.join,
        { v: COLLAB_PROTOCOL_VERSION, documentId: this.documentId, ...known },
        (raw: unknown) => {
          const reply = DocJoinReplySchema.parse(raw);
          if (epoch !== this.epoch) return resolve(reply);
          this.joining = false;
          if (!reply.ok) {
            setTimeout(() => epoch === this.epoch && void this.join(), 50);
            return resolve(reply);
          }
          if (reply.kind === "snapshot" && this.ot?.hasUnconfirmedEdits) {
            throw new Error("a rejoin with pending edits got a snapshot");
          }
          const pending = applyJoinResult(this, reply, `${this.clientId}-${epoch}`);
          if (pending) this.send(pending);
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

  get isSynced(): boolean {
    return !this.joining && this.ot?.state === "synchronized";
  }

  close(): void {
    this.closed = true;
    this.epoch += 1;
    this.connection += 1;
    this.socket?.disconnect();
  }

  private async moveTo(url: string): Promise<void> {
    this.ot?.disconnect();
    this.socket?.close();
    this.url = url;
    this.reconnects += 1;
    await this.connect();
    await this.join();
  }

  private rejoin(): void {
    if (this.socket?.connected) void this.join();
  }

  private onRemote(payload: unknown): void {
    if (this.joining || this.ot === null) return;
    const remote = DocRemoteOpSchema.parse(payload);
    if (remote.version <= this.ot.version) return;
    try {
      const result = this.ot.onRemote(remote.op, remote.version, remote.clientOpId);
      this.remoteVersions.push(remote.version);
      this.text = apply(this.text, result.op);
      if (result.send) this.send(result.send);
    } catch (error) {
      if (!(error instanceof OtProtocolError)) throw error;
      this.outOfOrder += 1;
      this.rejoin();
    }
  }

  private send(out: OutgoingOp): void {
    const socket = this.socket;
    if (!socket || this.joining) return;
    const epoch = this.epoch;
    socket.emit(
      COLLAB_EVENTS.op,
      { v: COLLAB_PROTOCOL_VERSION, documentId: this.documentId, ...out },
      (raw: unknown) => {
        if (epoch !== this.epoch) return;
        const reply = DocOpReplySchema.parse(raw);
        if (!reply.ok) {
          this.refusals.push(reply);
          if (reply.code === "rate_limited") {
            setTimeout(() => {
              const pending = this.ot?.pending;
              if (epoch === this.epoch && pending?.clientOpId === out.clientOpId) this.send(pending);
            }, 50);
          } else if (reply.code === "unavailable") {
            this.rejoin();
          }
          return;
        }
        this.acks.set(reply.clientOpId, reply.version);
        try {
          const next = this.ot!.onAck(reply.version, reply.clientOpId);
          if (next) this.send(next);
        } catch (error) {
          if (!(error instanceof OtProtocolError)) throw error;
          this.outOfOrder += 1;
          this.rejoin();
        }
      },
    );
  }
}
