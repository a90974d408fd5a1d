import { randomUUID } from "node:crypto";
import type { CollabEngine, DocumentRef, OpStore } from "@devflow/collab-engine";
import { splitOp, textOpBetween } from "./restore-op";

export type RestoreOutcome =
  | { ok: true; version: number; opCount: number }
  | { ok: false; reason: "no_such_version" }
  | { ok: false; reason: "refused"; error: unknown };

export interface RestoreDeps {
  engine: CollabEngine;
  store: OpStore;
  /** Restores larger than one op are sent as several. */
  maxOpSize: number;
}

/**
 * Brings a document's text back to `version` with new ops from the current head: the smallest edit
 * between the two texts, split when larger than one op may be. They go through the engine like
 * anyone's edits (rebased over whatever arrived meanwhile), so the whole room sees them as remote
 * ops and edits made meanwhile are kept on top. `onCommitted` is called once per committed op.
 */
export async function restoreVersion(
  deps: RestoreDeps,
  ref: DocumentRef,
  version: number,
  userId: string,
  onCommitted: () => void,
): Promise<RestoreOutcome> {
  const target = await deps.engine.textAt(ref, version);
  const head = target && (await deps.store.loadHead(ref));
  if (!target || !head) return { ok: false, reason: "no_such_version" };
  const ops = splitOp(textOpBetween(head.content, target.content), deps.maxOpSize);
  const clientId = `restore-${randomUUID()}`;
  let baseVersion = head.version;
  for (const [i, op] of ops.entries()) {
    const outcome = await deps.engine.submit(ref, { clientOpId: `${clientId}:${i + 1}`, baseVersion, op, userId });
    if (!outcome.ok) return { ok: false, reason: "refused", error: outcome.error };
    onCommitted();
    baseVersion = outcome.version;
  }
  return { ok: true, version: baseVersion, opCount: ops.length };
}
