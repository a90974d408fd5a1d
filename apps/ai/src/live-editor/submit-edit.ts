import { randomUUID } from "node:crypto";
import type { LiveEdit } from "@devflow/ai-tools";
import { OtClient, transformCursor, type TextOp } from "@devflow/collab-ot";
import {
  COLLAB_EVENTS,
  COLLAB_PROTOCOL_VERSION,
  CollabErrorSchema,
  DocJoinReplySchema,
  DocOpReplySchema,
  DocRemoteOpSchema,
  type PresenceUpdateInput,
} from "@devflow/contracts";
import { AppError, forbidden } from "@devflow/util-core";
import type { Socket } from "socket.io-client";

export interface SubmittedEdit {
  version: number;
  concurrentOps: number;
  /** Shows the agent's caret after its edit to everyone in the document. */
  presence: PresenceUpdateInput;
}

/**
 * Runs one edit on a connected socket as a browser editor would: joins the document from the
 * edit's base version (catch-up ops, never a replacement text), sends the op with that base so
 * the server transforms it over what others typed since, and resolves on the durable ack.
 *
 * The `OtClient` mirrors the server's transforms so the caret can be placed on the text the ack
 * version names. Everything runs in plain callbacks: awaiting between socket events would let a
 * remote op slip in out of order (STACK-NOTES).
 */
export function submitEdit(socket: Socket, edit: LiveEdit, timeoutMs: number): Promise<SubmittedEdit> {
  const { documentId, baseVersion } = edit;
  return new Promise((resolve, reject) => {
    const ot = new OtClient({ clientId: `agent-${randomUUID()}`, version: baseVersion });
    const out = ot.applyLocal(edit.op);
    let caret = edit.caret;
    let settled = false;

    const finish = (error: AppError | null, result?: SubmittedEdit) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off(COLLAB_EVENTS.remoteOp, onRemote);
      socket.off(COLLAB_EVENTS.error, onError);
      socket.off("disconnect", onDisconnect);
      if (error) reject(error);
      else resolve(result!);
    };
    const timer = setTimeout(
      () =>
        finish(
          new AppError(
            "unavailable",
            `The collab service did not confirm the edit within ${timeoutMs} ms; it may still have been applied, so read the document before trying again`,
          ),
        ),
      timeoutMs,
    );
    const placeCaret = (op: TextOp, version: number, clientOpId: string) => {
      caret = transformCursor(caret, ot.onRemote(op, version, clientOpId).op, "left");
    };
    const onRemote = (payload: unknown) => {
      const remote = DocRemoteOpSchema.safeParse(payload);
      if (!remote.success || remote.data.documentId !== documentId || remote.data.version <= ot.version) return;
      guarded(() => placeCaret(remote.data.op, remote.data.version, remote.data.clientOpId));
    };
    const onError = (payload: unknown) => {
      const error = CollabErrorSchema.safeParse(payload);
      if (error.success && error.data.documentId === documentId) {
        finish(new AppError(error.data.code, error.data.message, { report: false }));
      }
    };
    const onDisconnect = () => finish(new AppError("unavailable", "The collab service closed the connection"));
    const guarded = (step: () => void) => {
      try {
        step();
      } catch (error) {
        finish(new AppError("internal", "The collab service's messages arrived out of order", { cause: error }));
      }
    };

    if (!out) return finish(new AppError("validation_failed", "The edit changes nothing", { report: false }));
    socket.on(COLLAB_EVENTS.remoteOp, onRemote);
    socket.on(COLLAB_EVENTS.error, onError);
    socket.on("disconnect", onDisconnect);

    const join = { v: COLLAB_PROTOCOL_VERSION, documentId, lastKnownVersion: baseVersion, hasPending: true };
    socket.emit(COLLAB_EVENTS.join, join, (raw: unknown) => {
      const reply = DocJoinReplySchema.safeParse(raw);
      if (!reply.success) return finish(new AppError("internal", "The collab service answered the join with junk"));
      if (!reply.data.ok) return finish(new AppError(reply.data.code, reply.data.message, { report: false }));
      if (!reply.data.canEdit) return finish(forbidden("You can view this document but not edit it"));
      if (reply.data.kind !== "ops") {
        return finish(
          new AppError("conflict", `Version ${baseVersion} is too old to edit from; read the document again`),
        );
      }
      for (const committed of reply.data.ops) {
        if (committed.version > ot.version)
          guarded(() => placeCaret(committed.op, committed.version, committed.clientOpId));
      }
      socket.emit(COLLAB_EVENTS.op, { v: COLLAB_PROTOCOL_VERSION, documentId, ...out }, (rawAck: unknown) => {
        const ack = DocOpReplySchema.safeParse(rawAck);
        if (!ack.success) return finish(new AppError("internal", "The collab service answered the op with junk"));
        if (!ack.data.ok) return finish(new AppError(ack.data.code, ack.data.message, { report: false }));
        const { version, clientOpId } = ack.data;
        guarded(() => ot.onAck(version, clientOpId));
        finish(null, {
          version,
          concurrentOps: version - baseVersion - 1,
          presence: { v: COLLAB_PROTOCOL_VERSION, documentId, version, selection: { anchor: caret, head: caret } },
        });
      });
    });
  });
}
