import { apply, normalize, type TextOp } from "@devflow/collab-ot";
import { ChangeSet, Text } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { LINE_SEPARATOR, changeSetToOp, opToChangeSet } from "./op-conversion";

// Astral characters (surrogate pairs), "\r\n" and lone "\r" are where offsets most easily drift.
const ALPHABET = ["a", "b", " ", "\n", "\r\n", "\r", "é", "中", "😀", "👍🏽", "#"];

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomText(random: () => number, max: number): string {
  let text = "";
  const n = Math.floor(random() * max);
  for (let i = 0; i < n; i++) text += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return text;
}

function toText(text: string): Text {
  return Text.of(text.split(LINE_SEPARATOR));
}

/** Random non-overlapping changes, in order, as an editor transaction (or several merged) makes them. */
function randomChanges(random: () => number, length: number): ChangeSet {
  const specs: { from: number; to: number; insert: string }[] = [];
  let position = 0;
  const count = Math.floor(random() * 5);
  for (let i = 0; i < count && position <= length; i++) {
    const from = position + Math.floor(random() * (length - position + 1));
    const to = from + Math.floor(random() * Math.min(4, length - from + 1));
    specs.push({ from, to, insert: random() < 0.7 ? randomText(random, 4) : "" });
    position = to + 1;
  }
  return ChangeSet.of(specs, length, LINE_SEPARATOR);
}

function randomOp(random: () => number, length: number): TextOp {
  const op: (number | string | { d: number })[] = [];
  let remaining = length;
  const steps = Math.floor(random() * 6);
  for (let i = 0; i < steps; i++) {
    const roll = random();
    if (roll < 0.4 && remaining > 0) {
      const n = 1 + Math.floor(random() * remaining);
      op.push(n);
      remaining -= n;
    } else if (roll < 0.7 && remaining > 0) {
      const n = 1 + Math.floor(random() * Math.min(remaining, 5));
      op.push({ d: n });
      remaining -= n;
    } else {
      const text = randomText(random, 4);
      if (text) op.push(text);
    }
  }
  return normalize(op);
}

describe("ChangeSet ↔ ot-text op", () => {
  it("turns random change sets into ops with the same effect, and back", () => {
    const random = seededRandom(42);
    for (let i = 0; i < 10_000; i++) {
      const before = randomText(random, 30);
      const doc = toText(before);
      expect(doc.length).toBe(before.length);
      const changes = randomChanges(random, doc.length);
      const op = changeSetToOp(changes);
      const after = changes.apply(doc).sliceString(0, undefined, LINE_SEPARATOR);
      expect(apply(before, op)).toBe(after);
      const back = opToChangeSet(op, doc.length);
      expect(back.apply(doc).sliceString(0, undefined, LINE_SEPARATOR)).toBe(after);
      expect(changeSetToOp(back)).toEqual(op);
    }
  });

  it("turns random ops into change sets with the same effect, and back", () => {
    const random = seededRandom(7);
    for (let i = 0; i < 10_000; i++) {
      const before = randomText(random, 30);
      const op = randomOp(random, before.length);
      const changes = opToChangeSet(op, before.length);
      expect(changes.apply(toText(before)).sliceString(0, undefined, LINE_SEPARATOR)).toBe(apply(before, op));
      // A delete, insert, delete may come back as insert, delete: the same edit, written canonically.
      const back = changeSetToOp(changes);
      expect(apply(before, back)).toBe(apply(before, op));
      expect(changeSetToOp(opToChangeSet(back, before.length))).toEqual(back);
    }
  });

  it("refuses an op that reaches past the end of the document", () => {
    expect(() => opToChangeSet([5, { d: 2 }], 6)).toThrow();
  });

  it("keeps \\r\\n as two code units, as the server counts them", () => {
    const changes = opToChangeSet([2, "x"], 4);
    expect(changes.apply(toText("a\r\nb")).sliceString(0, undefined, LINE_SEPARATOR)).toBe("a\rx\nb");
  });
});
