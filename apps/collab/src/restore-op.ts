import { normalize, opSize, type TextOp, type TextOpComponent } from "@devflow/collab-ot";
import { diffChars, diffLines } from "diff";

/** A character diff of the changed middle is exact but costly; past this length the diff works on lines. */
const CHAR_DIFF_MAX = 20_000;
const DIFF_TIMEOUT_MS = 1_000;

/**
 * An ot-text op that turns `from` into `to`, touching only what differs: the common start and end
 * are skipped and the middle is diffed by character (by line for long stretches). When the diff
 * takes too long the middle is replaced whole. Never splits a surrogate pair.
 */
export function textOpBetween(from: string, to: string): TextOp {
  if (from === to) return [];
  let prefix = 0;
  const maxPrefix = Math.min(from.length, to.length);
  while (prefix < maxPrefix && from.charCodeAt(prefix) === to.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && isHighSurrogate(from.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  const maxSuffix = maxPrefix - prefix;
  while (suffix < maxSuffix && from.charCodeAt(from.length - 1 - suffix) === to.charCodeAt(to.length - 1 - suffix))
    suffix++;
  if (suffix > 0 && isLowSurrogate(from.charCodeAt(from.length - suffix))) suffix--;

  const oldMiddle = from.slice(prefix, from.length - suffix);
  const newMiddle = to.slice(prefix, to.length - suffix);
  const op: TextOpComponent[] = [];
  if (prefix > 0) op.push(prefix);
  op.push(...middleOp(oldMiddle, newMiddle));
  return normalize(op);
}

function middleOp(from: string, to: string): TextOpComponent[] {
  if (from === "" || to === "") return replaceAll(from, to);
  const options = { timeout: DIFF_TIMEOUT_MS };
  const changes =
    from.length + to.length <= CHAR_DIFF_MAX ? diffChars(from, to, options) : diffLines(from, to, options);
  if (!changes) return replaceAll(from, to);
  const op: TextOpComponent[] = [];
  for (const change of changes) {
    if (change.value.length === 0) continue;
    if (change.added) op.push(change.value);
    else if (change.removed) op.push({ d: change.value.length });
    else op.push(change.value.length);
  }
  return op;
}

function replaceAll(from: string, to: string): TextOpComponent[] {
  const op: TextOpComponent[] = [];
  if (from.length > 0) op.push({ d: from.length });
  if (to.length > 0) op.push(to);
  return op;
}

/**
 * Splits `op` into ops applied one after another, each at most `maxSize` (`opSize`: inserted
 * characters plus one per component), with the same overall effect. Inserted text is cut between
 * code points, never inside a surrogate pair.
 */
export function splitOp(op: TextOp, maxSize: number): TextOp[] {
  if (maxSize < 4) throw new RangeError("maxSize must leave room for a skip, a component and some text");
  if (opSize(op) <= maxSize) return op.length === 0 ? [] : [op];
  const ops: TextOp[] = [];
  /** Where the next op starts, in the text as the ops so far left it. */
  let position = 0;
  let current: TextOpComponent[] = [];
  let size = 0;
  /** The position the current op reached in the text it applies to. */
  let cursor = 0;

  const start = () => {
    current = position > 0 ? [position] : [];
    size = current.length;
    cursor = position;
  };
  const flush = () => {
    if (current.some((c) => typeof c !== "number")) ops.push(normalize(current));
    start();
  };
  start();

  for (const component of op) {
    if (typeof component === "number") {
      if (size + 1 > maxSize) flush();
      current.push(component);
      size += 1;
      cursor += component;
      position = cursor;
      continue;
    }
    if (typeof component === "object") {
      if (size + 1 > maxSize) flush();
      current.push(component);
      size += 1;
      continue;
    }
    let rest = component;
    while (rest.length > 0) {
      if (size + 2 > maxSize) flush();
      let take = Math.min(rest.length, maxSize - size - 1);
      if (take < rest.length && isHighSurrogate(rest.charCodeAt(take - 1))) take -= 1;
      if (take <= 0) {
        flush();
        continue;
      }
      current.push(rest.slice(0, take));
      size += 1 + take;
      cursor += take;
      position = cursor;
      rest = rest.slice(take);
    }
  }
  flush();
  return ops;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
