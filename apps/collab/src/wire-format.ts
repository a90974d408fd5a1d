import type { CommittedOp, JoinResult } from "@devflow/collab-engine";
import { COLLAB_PROTOCOL_VERSION, type DocJoinResult, type DocRemoteOp } from "@devflow/contracts";

/** Ops committed by the service itself (a restore by someone since removed) carry no user. */
const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/** The engine's answers in the wire shapes of `libs/contracts` (collab.ts). */
export function toJoinReply(documentId: string, result: JoinResult, canEdit: boolean): DocJoinResult {
  const base = { v: COLLAB_PROTOCOL_VERSION, ok: true, documentId, version: result.version, canEdit } as const;
  return result.kind === "snapshot"
    ? { ...base, kind: "snapshot", text: result.text }
    : {
        ...base,
        kind: "ops",
        ops: result.ops.map((op) => ({
          version: op.version,
          op: [...op.op],
          clientOpId: op.clientOpId,
          userId: op.userId ?? NIL_UUID,
        })),
      };
}

export function toRemoteOp(documentId: string, op: CommittedOp): DocRemoteOp {
  return {
    v: COLLAB_PROTOCOL_VERSION,
    documentId,
    version: op.version,
    op: [...op.op],
    clientOpId: op.clientOpId,
    userId: op.userId ?? NIL_UUID,
  };
}
