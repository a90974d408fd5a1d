import type { Side, TextOp } from "./text-op";

/** A selection as editors keep it: `head` is where the caret is and may be before `anchor`. */
export interface Selection {
  anchor: number;
  head: number;
}

/** A span of text, `from <= to`, such as a comment's anchor. */
export interface TextRange {
  from: number;
  to: number;
}

/**
 * A range after an op. `outdated` means every character it covered was deleted: a comment keeps
 * its thread and shows `at`, the offset where the text used to be, instead of disappearing.
 */
export type TransformedRange = { outdated: false; from: number; to: number } | { outdated: true; at: number };

/**
 * Moves an offset over an op. A cursor inside deleted text goes to the start of the deletion.
 * Text inserted exactly at the cursor ends up after it for `left` and before it for `right`: the
 * cursor behaves like a zero-length insert transformed with that side.
 */
export function transformCursor(position: number, op: TextOp, side: Side): number {
  let oldPos = 0;
  let newPos = 0;
  for (const c of op) {
    if (typeof c === "number") {
      if (position < oldPos + c) return newPos + (position - oldPos);
      oldPos += c;
      newPos += c;
    } else if (typeof c === "string") {
      if (position === oldPos && side === "left") return newPos;
      newPos += c.length;
    } else {
      if (position < oldPos + c.d) return newPos;
      oldPos += c.d;
    }
  }
  return newPos + (position - oldPos);
}

/**
 * Moves a selection over someone else's op. A caret stays before text typed exactly at it (as in
 * CodeMirror's default mapping); a non-empty selection does not grow to include text inserted at
 * its edges.
 */
export function transformSelection(selection: Selection, op: TextOp): Selection {
  const { anchor, head } = selection;
  if (anchor === head) {
    const at = transformCursor(anchor, op, "left");
    return { anchor: at, head: at };
  }
  const forward = anchor < head;
  const range = transformEdges(forward ? anchor : head, forward ? head : anchor, op);
  return forward ? { anchor: range.from, head: range.to } : { anchor: range.to, head: range.from };
}

/**
 * Moves a range over an op, as comment anchors need: afterwards it spans from its first to its
 * last surviving character, so it shrinks when text at its ends is deleted, keeps text typed
 * inside it and ignores text typed at its edges. Once all of its original text is gone it is
 * `outdated`. An empty range moves like a caret and is never outdated, since it covers no text.
 */
export function transformRange(range: TextRange, op: TextOp): TransformedRange {
  const from = Math.min(range.from, range.to);
  const to = Math.max(range.from, range.to);
  if (from === to) {
    const at = transformCursor(from, op, "left");
    return { outdated: false, from: at, to: at };
  }
  const deleted = deletedIntervals(from, to, op);
  let first = from;
  for (const [start, end] of deleted) if (start <= first && first < end) first = end;
  if (first >= to) return { outdated: true, at: transformCursor(from, op, "right") };
  let last = to - 1;
  for (let i = deleted.length - 1; i >= 0; i--) {
    const [start, end] = deleted[i]!;
    if (start <= last && last < end) last = start - 1;
  }
  // "right" puts a surviving character after any text inserted just before it: its new index.
  return { outdated: false, from: transformCursor(first, op, "right"), to: transformCursor(last, op, "right") + 1 };
}

function transformEdges(from: number, to: number, op: TextOp): TextRange {
  const newFrom = transformCursor(from, op, "right");
  const newTo = transformCursor(to, op, "left");
  // Only reachable when the whole selection was deleted: both edges collapse onto one offset.
  return newFrom <= newTo ? { from: newFrom, to: newTo } : { from: newTo, to: newTo };
}

/** The op's deletions inside [from, to), in order, as [start, end) offsets of the old text. */
function deletedIntervals(from: number, to: number, op: TextOp): [number, number][] {
  const intervals: [number, number][] = [];
  let oldPos = 0;
  for (const c of op) {
    if (oldPos >= to) break;
    if (typeof c === "number") {
      oldPos += c;
    } else if (typeof c === "object") {
      const start = Math.max(from, oldPos);
      const end = Math.min(to, oldPos + c.d);
      if (start < end) intervals.push([start, end]);
      oldPos += c.d;
    }
  }
  return intervals;
}
