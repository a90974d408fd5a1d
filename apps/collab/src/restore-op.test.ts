import { apply, checkOpFits, opSize, parseOp, type TextOp } from "@devflow/collab-ot";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitOp, textOpBetween } from "./restore-op";

const alphabet = ["a", "b", "c", "\n", " ", "é", "😀", "𝄞", "# "];
const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }).map((parts) => parts.join(""));
/** Two texts that share most of their content, as a document and an earlier version of it do. */
const relatedTexts = fc
  .tuple(text, text, text, text, text)
  .map(([shared, a, b, tail, other]) => [shared + a + tail + other, shared + b + tail] as const);

/** Applies `op` after checking it is valid for `doc` as the server checks it. */
function applyChecked(doc: string, op: TextOp): string {
  const parsed = parseOp(op);
  expect(parsed.ok).toBe(true);
  expect(checkOpFits(doc, op)).toBeNull();
  return apply(doc, op);
}

describe("textOpBetween", () => {
  it("turns any text into any other", () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(applyChecked(a, textOpBetween(a, b))).toBe(b);
      }),
      { numRuns: 500 },
    );
  });

  it("turns related texts into each other without rewriting what they share", () => {
    fc.assert(
      fc.property(relatedTexts, ([a, b]) => {
        const op = textOpBetween(a, b);
        expect(applyChecked(a, op)).toBe(b);
        expect(applyChecked(b, textOpBetween(b, a))).toBe(a);
        const inserted = op.reduce<number>((n, c) => n + (typeof c === "string" ? c.length : 0), 0);
        expect(inserted).toBeLessThanOrEqual(b.length);
      }),
      { numRuns: 500 },
    );
  });

  it("is minimal for a small edit in a long text and empty for equal texts", () => {
    const long = "# Title\n" + "word ".repeat(10_000);
    const edited = long.slice(0, 20_000) + "NEW" + long.slice(20_010);
    expect(textOpBetween(long, edited)).toEqual([20_000, { d: 10 }, "NEW"]);
    expect(textOpBetween(long, long)).toEqual([]);
    expect(applyChecked(long, textOpBetween(long, "x\n" + long.slice(5_000, 40_000)))).toBe(
      "x\n" + long.slice(5_000, 40_000),
    );
  });

  it("never splits a surrogate pair at the common start or end", () => {
    expect(applyChecked("a😀", textOpBetween("a😀", "a😃"))).toBe("a😃");
    expect(applyChecked("😀b", textOpBetween("😀b", "😃b"))).toBe("😃b");
  });
});

describe("splitOp", () => {
  it("splits an op into ops within the size limit that together have the same effect", () => {
    fc.assert(
      fc.property(text, text, fc.integer({ min: 4, max: 12 }), (a, b, maxSize) => {
        const ops = splitOp(textOpBetween(a, b), maxSize);
        let doc = a;
        for (const op of ops) {
          expect(opSize(op)).toBeLessThanOrEqual(maxSize);
          doc = applyChecked(doc, op);
        }
        expect(doc).toBe(b);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps an op that fits as it is", () => {
    expect(splitOp([3, "ab", { d: 1 }], 100)).toEqual([[3, "ab", { d: 1 }]]);
    expect(splitOp([], 100)).toEqual([]);
  });
});
