import { apply, type TextOp } from "@devflow/collab-ot";
import { describe, expect, it } from "vitest";
import { moveAnchor, type Anchor, type VersionedOp } from "./anchor";

const TEXT = "The cache keeps entries for one hour.";
const at = (from: number, to: number, version = 0): Anchor => ({ from, to, version, isOutdated: false });
/** "entries" in TEXT. */
const ENTRIES = at(TEXT.indexOf("entries"), TEXT.indexOf("entries") + "entries".length);

function ops(...list: TextOp[]): VersionedOp[] {
  return list.map((op, i) => ({ version: i + 1, op }));
}

/** The anchored text after the ops, read from the text the ops produce. */
function anchoredText(anchor: Anchor, list: VersionedOp[]): string {
  const text = list.reduce((t, { op }) => apply(t, op), TEXT);
  return text.slice(anchor.from, anchor.to);
}

describe("moveAnchor", () => {
  it("moves right by the length of text inserted before it", () => {
    const list = ops(["Note: "]);
    const moved = moveAnchor(ENTRIES, list);
    expect(moved).toEqual({ from: ENTRIES.from + 6, to: ENTRIES.to + 6, version: 1, isOutdated: false });
    expect(anchoredText(moved, list)).toBe("entries");
  });

  it("moves left when text before it is deleted", () => {
    const list = ops([4, { d: 6 }]);
    const moved = moveAnchor(ENTRIES, list);
    expect(moved.from).toBe(ENTRIES.from - 6);
    expect(anchoredText(moved, list)).toBe("entries");
  });

  it("stays put for edits after it", () => {
    const list = ops([TEXT.length - 1, { d: 1 }, "!"]);
    expect(moveAnchor(ENTRIES, list)).toEqual({ ...ENTRIES, version: 1 });
  });

  it("grows with text typed inside it and ignores text typed at its edges", () => {
    const list = ops([ENTRIES.from + 3, "X"], [ENTRIES.from, "["], [ENTRIES.to + 2, "]"]);
    const moved = moveAnchor(ENTRIES, list);
    expect(anchoredText(moved, list)).toBe("entXries");
    expect(moved.version).toBe(3);
  });

  it("shrinks when text at its ends is deleted", () => {
    const list = ops([ENTRIES.from, { d: 2 }], [ENTRIES.from + 3, { d: 2 }]);
    const moved = moveAnchor(ENTRIES, list);
    expect(moved.isOutdated).toBe(false);
    expect(anchoredText(moved, list)).toBe("tri");
  });

  it("becomes outdated, at the place the text was, once all of its text is deleted", () => {
    const list = ops([ENTRIES.from - 1, { d: "entries".length + 1 }]);
    const moved = moveAnchor(ENTRIES, list);
    expect(moved).toEqual({ from: ENTRIES.from - 1, to: ENTRIES.from - 1, version: 1, isOutdated: true });
  });

  it("keeps an outdated anchor outdated and moves it like a caret afterwards", () => {
    const deleted = moveAnchor(ENTRIES, ops([ENTRIES.from, { d: 7 }]));
    const later = moveAnchor(deleted, [
      { version: 2, op: ["Hello. "] },
      { version: 3, op: [deleted.from + 7, "new"] },
    ]);
    expect(later).toEqual({ from: deleted.from + 7, to: deleted.from + 7, version: 3, isOutdated: true });
  });

  it("brings an anchor made at an older version up to the head, skipping ops it already includes", () => {
    const list = ops(["A"], ["B"], ["C"]);
    const madeAtV2 = at(ENTRIES.from + 2, ENTRIES.to + 2, 2);
    const moved = moveAnchor(madeAtV2, list);
    expect(moved.version).toBe(3);
    expect(anchoredText(moved, list)).toBe("entries");
  });

  it("refuses to jump over missing ops rather than land in the wrong place", () => {
    expect(() => moveAnchor(ENTRIES, [{ version: 2, op: ["x"] }])).toThrow(/missing/);
  });
});
