import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { transformCursor, transformRange, transformSelection } from "./positions";
import { arbitraryOpFor, arbitraryText } from "./testing";
import { apply, normalize, resultingLength, transform, type Side, type TextOp } from "./text-op";

const side = fc.constantFrom<Side>("left", "right");

/** A text, an op on it and an offset in it (0..length). */
function drawCase(g: fc.GeneratorValue): { text: string; op: TextOp; at: number } {
  const text = g(arbitraryText);
  return { text, op: g(arbitraryOpFor, text), at: g(fc.nat, { max: text.length }) };
}

describe("transformCursor", () => {
  it("stays within the new document and is monotone", () => {
    fc.assert(
      fc.property(fc.gen(), side, (g, s) => {
        const { text, op, at } = drawCase(g);
        const other = g(fc.nat, { max: text.length });
        const length = resultingLength(text.length, op);
        const moved = transformCursor(at, op, s);
        expect(moved).toBeGreaterThanOrEqual(0);
        expect(moved).toBeLessThanOrEqual(length);
        const [lo, hi] = at <= other ? [at, other] : [other, at];
        expect(transformCursor(lo, op, s)).toBeLessThanOrEqual(transformCursor(hi, op, s));
        expect(transformCursor(at, op, "left")).toBeLessThanOrEqual(transformCursor(at, op, "right"));
      }),
      { numRuns: 1500 },
    );
  });

  it("lands where a zero-width insert at the cursor would, transformed with the same side", () => {
    fc.assert(
      fc.property(fc.gen(), side, (g, s) => {
        const { text, op, at } = drawCase(g);
        const marker: TextOp = normalize([at, "\u0000"]);
        const withMarker = apply(apply(text, op), transform(marker, op, s));
        expect(withMarker.indexOf("\u0000")).toBe(transformCursor(at, op, s));
      }),
      { numRuns: 1500 },
    );
  });

  it("keeps the characters on both sides of the cursor when they survive", () => {
    // "ab|cd" with "X" typed at the cursor and "Y" at the end
    const op: TextOp = [2, "X", 2, "Y"];
    expect(transformCursor(2, op, "left")).toBe(2);
    expect(transformCursor(2, op, "right")).toBe(3);
    expect(transformCursor(3, op, "left")).toBe(4);
    expect(transformCursor(4, op, "left")).toBe(5);
    expect(transformCursor(4, op, "right")).toBe(6);
  });

  it("moves a cursor inside deleted text to where the deletion starts", () => {
    expect(transformCursor(3, [1, { d: 4 }], "right")).toBe(1);
    expect(transformCursor(5, [1, { d: 4 }], "left")).toBe(1);
    expect(transformCursor(6, [1, { d: 4 }], "left")).toBe(2);
  });
});

describe("transformSelection", () => {
  it("keeps the direction and the bounds of a selection", () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const { text, op, at } = drawCase(g);
        const head = g(fc.nat, { max: text.length });
        const length = resultingLength(text.length, op);
        const moved = transformSelection({ anchor: at, head }, op);
        for (const p of [moved.anchor, moved.head]) {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(length);
        }
        if (at < head) expect(moved.anchor).toBeLessThanOrEqual(moved.head);
        if (at > head) expect(moved.anchor).toBeGreaterThanOrEqual(moved.head);
        if (at === head) expect(moved.anchor).toBe(moved.head);
      }),
      { numRuns: 1000 },
    );
  });

  it("does not grow to include text typed at its edges", () => {
    expect(transformSelection({ anchor: 2, head: 4 }, [2, "X", 2, "Y"])).toEqual({ anchor: 3, head: 5 });
    expect(transformSelection({ anchor: 4, head: 2 }, [2, "X", 2, "Y"])).toEqual({ anchor: 5, head: 3 });
  });

  it("leaves a caret before text typed exactly at it", () => {
    expect(transformSelection({ anchor: 2, head: 2 }, [2, "XY"])).toEqual({ anchor: 2, head: 2 });
  });
});

describe("transformRange", () => {
  it("covers exactly the surviving text plus what was typed inside it, or reports it outdated", () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const { text, op, at } = drawCase(g);
        const end = g(fc.nat, { max: text.length });
        const [from, to] = at <= end ? [at, end] : [end, at];
        // Tag each original character so we can tell which ones survived the op.
        const tagged = Array.from({ length: text.length }, (_, i) => String.fromCharCode(0xe000 + i)).join("");
        const taggedOp = op.map((c) => (typeof c === "string" ? "\u0001".repeat(c.length) : c));
        const after = apply(tagged, taggedOp);
        const survivors = [...after].map((ch, i) => ({ i, orig: ch.charCodeAt(0) - 0xe000 }));
        const inside = survivors.filter((s) => s.orig >= from && s.orig < to);
        const result = transformRange({ from, to }, op);

        if (from === to) {
          expect(result.outdated).toBe(false);
        } else if (inside.length === 0) {
          expect(result.outdated).toBe(true);
        } else {
          expect(result).toEqual({ outdated: false, from: inside[0]!.i, to: inside[inside.length - 1]!.i + 1 });
        }
      }),
      { numRuns: 1500 },
    );
  });

  it("keeps a comment whose text was deleted, as outdated, at the place it was", () => {
    expect(transformRange({ from: 4, to: 9 }, [2, { d: 10 }, "new text"])).toEqual({ outdated: true, at: 2 });
  });

  it("shrinks when part of the text is deleted and grows when text is typed inside", () => {
    expect(transformRange({ from: 4, to: 9 }, [2, { d: 4 }])).toEqual({ outdated: false, from: 2, to: 5 });
    expect(transformRange({ from: 4, to: 9 }, [6, "abc"])).toEqual({ outdated: false, from: 4, to: 12 });
    expect(transformRange({ from: 4, to: 9 }, [4, "abc", 5, "z"])).toEqual({ outdated: false, from: 7, to: 12 });
  });
});
