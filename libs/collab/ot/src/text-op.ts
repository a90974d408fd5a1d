// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- ot-text ships no types; the reference carries the ambient declaration into every project that compiles this file (apps/collab, apps/web)
/// <reference path="./ot-text.d.ts" />
import { type as otText } from "ot-text";

/** Skip `n` code units of the document. */
export type Skip = number;
/** Insert this text at the current position. */
export type Insert = string;
/** Delete `d` code units at the current position. */
export type Delete = { d: number };
export type TextOpComponent = Skip | Insert | Delete;

/**
 * An ot-text operation: a walk over the document from offset 0. Offsets and lengths are UTF-16
 * code units, the same unit as CodeMirror positions and `String.prototype.length`. The text after
 * the last component is kept, so ops never need a trailing skip.
 */
export type TextOp = readonly TextOpComponent[];

/**
 * Which op wins when both insert at the same offset: the `left` op's text ends up first.
 * The server's committed ops are always `left`, so every client and the server agree.
 */
export type Side = "left" | "right";

/**
 * The longest document, in UTF-16 code units, the server accepts (1 MB as the product defines it;
 * equal to `DOCUMENT_CONTENT_MAX` in contracts).
 */
export const MAX_DOCUMENT_LENGTH = 1_000_000;

export function isInsert(c: TextOpComponent): c is Insert {
  return typeof c === "string";
}

export function isDelete(c: TextOpComponent): c is Delete {
  return typeof c === "object";
}

/**
 * Applies `op` to `text`. Throws when the op reaches past the end of the text: ot-text itself only
 * throws for skips and silently truncates deletes, which would hide a divergence.
 */
export function apply(text: string, op: TextOp): string {
  const needed = requiredLength(op);
  if (needed > text.length) {
    throw new RangeError(`Op needs a document of at least ${needed} characters, the document has ${text.length}`);
  }
  return otText.apply(text, op);
}

/**
 * Rewrites `op` so that it applies after `against` (both made on the same document). Ties between
 * inserts at the same offset are broken by `side`: `left` puts `op`'s text first.
 */
export function transform(op: TextOp, against: TextOp, side: Side): TextOp {
  return otText.transform(op, against, side);
}

/** One op with the effect of applying `a` and then `b`. */
export function compose(a: TextOp, b: TextOp): TextOp {
  return otText.compose(a, b);
}

/** Merges adjacent components of the same kind and drops zero-length ones and the trailing skip. */
export function normalize(op: TextOp): TextOp {
  return otText.normalize(op);
}

/** True when the op changes nothing (normalizes to `[]`). */
export function isNoop(op: TextOp): boolean {
  return op.every((c) => typeof c === "number");
}

/** The shortest document the op can apply to: every skipped and deleted code unit. */
export function requiredLength(op: TextOp): number {
  let n = 0;
  for (const c of op) {
    if (typeof c === "number") n += c;
    else if (typeof c === "object") n += c.d;
  }
  return n;
}

/** The document's length after applying `op` to a document of `length` code units. */
export function resultingLength(length: number, op: TextOp): number {
  let n = length;
  for (const c of op) {
    if (typeof c === "string") n += c.length;
    else if (typeof c === "object") n -= c.d;
  }
  return n;
}

/**
 * What an op costs to carry and store: every inserted code unit plus one per component. Skips and
 * deletes carry no text, so deleting a whole 1 MB document stays cheap while pasting 1 MB does not.
 */
export function opSize(op: TextOp): number {
  let n = op.length;
  for (const c of op) if (typeof c === "string") n += c.length;
  return n;
}
