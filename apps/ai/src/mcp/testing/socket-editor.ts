import { OtClient, apply, type TextOp } from "@devflow/collab-ot";
import {
  COLLAB_EVENTS,
  COLLAB_PROTOCOL_VERSION,
  DocJoinReplySchema,
  DocOpReplySchema,
  DocRemoteOpSchema,
  PresenceUpdateSchema,
  type PresenceUpdate,
} from "@devflow/contracts";
import { io, type Socket } from "socket.io-client";

/**
 * A person's editor minus CodeMirror, as the browser runs it: local edits applied at once and sent
 * one at a time through the `OtClient`, remote ops transformed over them, acks and remote ops handled
 * in plain callbacks in arrival order.
 */
export class SocketEditor {
  text = "";
  readonly presence: PresenceUpdate[] = [];
  private ot: OtClient | null = null;

  private constructor(
    private readonly socket: Socket,
    private readonly documentId: string,
  ) {
    socket.on(COLLAB_EVENTS.remoteOp, (payload: unknown) => {
      const remote = DocRemoteOpSchema.parse(payload);
      if (!this.ot || remote.version <= this.ot.version) return;
      const result = this.ot.onRemote(remote.op, remote.version, remote.clientOpId);
      this.text = apply(this.text, result.op);
      if (result.send) this.send(result.send);
    });
    socket.on(COLLAB_EVENTS.presence, (payload: unknown) => this.presence.push(PresenceUpdateSchema.parse(payload)));
  }

  static async open(url: string, token: string, documentId: string): Promise<SocketEditor> {
    const socket = io(url, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    const editor = new SocketEditor(socket, documentId);
    await new Promise<void>((resolve, reject) =>
      socket.emit(COLLAB_EVENTS.join, { v: COLLAB_PROTOCOL_VERSION, documentId }, (raw: unknown) => {
        const reply = DocJoinReplySchema.parse(raw);
        if (!reply.ok || reply.kind !== "snapshot") return reject(new Error(`join failed: ${JSON.stringify(reply)}`));
        editor.ot = new OtClient({ clientId: `person-${Math.random().toString(36).slice(2)}`, version: reply.version });
        editor.text = reply.text;
        resolve();
      }),
    );
    return editor;
  }

  get isSynced(): boolean {
    return this.ot?.state === "synchronized";
  }

  /** Types `words` at `offset` of the editor's current text. */
  type(offset: number, words: string): void {
    const op: TextOp = offset > 0 ? [offset, words] : [words];
    this.text = apply(this.text, op);
    const out = this.ot!.applyLocal(op);
    if (out) this.send(out);
  }

  close(): void {
    this.socket.disconnect();
  }

  private send(out: { clientOpId: string; baseVersion: number; op: TextOp }): void {
    this.socket.emit(
      COLLAB_EVENTS.op,
      { v: COLLAB_PROTOCOL_VERSION, documentId: this.documentId, ...out },
      (raw: unknown) => {
        const reply = DocOpReplySchema.parse(raw);
        if (!reply.ok) throw new Error(`op refused: ${reply.code} ${reply.message}`);
        const next = this.ot!.onAck(reply.version, reply.clientOpId);
        if (next) this.send(next);
      },
    );
  }
}
