import { transformRange, type TextOp } from "@devflow/collab-ot";

/** Where a thread sits in the text at `version`. An outdated anchor is the empty span where its text was. */
export interface Anchor {
  from: number;
  to: number;
  version: number;
  isOutdated: boolean;
}

/** A committed op: it took the document from `version - 1` to `version`. */
export interface VersionedOp {
  version: number;
  op: TextOp;
}

/**
 * Moves an anchor over the ops committed after its version, the way the OT lib moves cursors:
 * it keeps text typed inside it, ignores text typed at its edges, shrinks when text at its ends
 * is deleted, and becomes outdated (never lost) once all of its text is gone. An outdated anchor
 * then moves like a caret. Ops at or below the anchor's version are skipped; `ops` must be
 * consecutive from there, or the result would be at the wrong place, so a gap throws.
 */
export function moveAnchor(anchor: Anchor, ops: readonly VersionedOp[]): Anchor {
  let { from, to, version, isOutdated } = anchor;
  for (const { version: opVersion, op } of ops) {
    if (opVersion <= version) continue;
    if (opVersion !== version + 1) {
      throw new Error(`Anchor at v${version} cannot skip to op v${opVersion}: the ops in between are missing`);
    }
    const moved = transformRange({ from, to }, op);
    if (moved.outdated) {
      from = to = moved.at;
      isOutdated = true;
    } else {
      ({ from, to } = moved);
    }
    version = opVersion;
  }
  return { from, to, version, isOutdated };
}
