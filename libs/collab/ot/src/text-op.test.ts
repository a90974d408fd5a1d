import fc from "fast-check";
import { type as otText } from "ot-text";
import { describe, expect, it } from "vitest";
import { checkOpFits } from "./parse-op";
import { arbitraryOpFor, arbitraryText, drawOpChain, referenceApply } from "./testing";
import { apply, compose, normalize, opSize, requiredLength, resultingLength, transform, type TextOp } from "./text-op";

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

describe("apply", () => {
  it("agrees with a reference implementation and the length helpers", () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const text = g(arbitraryText);
        const op = g(arbitraryOpFor, text);
        const result = apply(text, op);
        expect(result).toBe(referenceApply(text, op));
        expect(result.length).toBe(resultingLength(text.length, op));
        expect(requiredLength(op)).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 1000 },
    );
  });

  it("throws instead of truncating a delete that runs past the end", () => {
    expect(otText.apply("ab", [{ d: 5 }])).toBe("");
    expect(() => apply("ab", [{ d: 5 }])).toThrow(RangeError);
    expect(() => apply("ab", [3])).toThrow(RangeError);
  });

  it("leaves the text alone for the empty op", () => {
    expect(apply("héllo 😀", [])).toBe("héllo 😀");
  });
});

describe("compose", () => {
  it("applies like its two ops in turn, and is associative", () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const { texts, ops } = drawOpChain(g, 3);
        const [a = [], b = [], c = []] = ops;
        const text = texts[0]!;
        const ab = compose(a, b);
        expect(apply(text, ab)).toBe(apply(apply(text, a), b));
        expect(apply(text, compose(ab, c))).toBe(apply(text, compose(a, compose(b, c))));
        expect(apply(text, compose(ab, c))).toBe(texts[ops.length]!);
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps the empty op as identity", () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const text = g(arbitraryText);
        const op = g(arbitraryOpFor, text);
        expect(apply(text, compose([], op))).toBe(apply(text, op));
        expect(apply(text, compose(op, []))).toBe(apply(text, op));
      }),
      { numRuns: 300 },
    );
  });
});

describe("transform", () => {
  it("converges whichever op goes first (TP1)", () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const text = g(arbitraryText);
        const a = g(arbitraryOpFor, text);
        const b = g(arbitraryOpFor, text);
        const viaA = apply(apply(text, a), transform(b, a, "right"));
        const viaB = apply(apply(text, b), transform(a, b, "left"));
        expect(viaA).toBe(viaB);
      }),
      { numRuns: 2000 },
    );
  });

  it("puts the left op's insert first at the same offset", () => {
    const a: TextOp = [1, "A"];
    const b: TextOp = [1, "B"];
    expect(apply(apply("xy", a), transform(b, a, "right"))).toBe("xABy");
    expect(apply(apply("xy", b), transform(a, b, "left"))).toBe("xABy");
  });

  it("drops a delete that the other op already made", () => {
    expect(transform([1, { d: 1 }], [1, { d: 1 }], "right")).toEqual([]);
  });
});

describe("normalize and opSize", () => {
  it("merges adjacent components and drops the trailing skip", () => {
    expect(normalize([1, 2, "a", "b", { d: 1 }, { d: 2 }, 3])).toEqual([3, "ab", { d: 3 }]);
  });

  it("undoes any splitting of components", () => {
    expect(normalize(denormalize([2, "ab", { d: 3 }]))).toEqual([2, "ab", { d: 3 }]);
  });

  it("is idempotent and keeps the op's effect", () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const text = g(arbitraryText);
        const op = g(arbitraryOpFor, text);
        expect(normalize(op)).toEqual(op);
        const spread = normalize(denormalize(op));
        expect(spread).toEqual(op);
        expect(apply(text, spread)).toBe(apply(text, op));
      }),
      { numRuns: 300 },
    );
  });

  it("counts inserted code units plus one per component", () => {
    expect(opSize([])).toBe(0);
    expect(opSize([5, "😀", { d: 1_000_000 }])).toBe(3 + 2);
  });
});

// ot-text counts UTF-16 code units and does not know about surrogate pairs. It splits a pair when
// an op tells it to, so the guarantee has to come from validation (`checkOpFits` rejects offsets
// inside a pair, `parseOp` rejects inserts with lone halves). Given ops that respect pairs,
// transform and compose only ever place boundaries at offsets that already were boundaries.
describe("surrogate pairs", () => {
  it("are split by ot-text when an op points inside one", () => {
    expect(apply("😀", [1, "x"])).toBe("\uD83Dx\uDE00");
    expect(apply("😀", [1, { d: 1 }])).toBe("\uD83D");
    expect(checkOpFits("😀", [1, "x"])?.reason).toBe("splits_surrogate_pair");
  });

  it("are never split by transform or compose of ops that respect them", () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const text = g(arbitraryText);
        const a = g(arbitraryOpFor, text);
        const b = g(arbitraryOpFor, text);
        const afterA = apply(text, a);
        const bOverA = transform(b, a, "right");
        expect(checkOpFits(afterA, bOverA)).toBeNull();
        const merged = apply(afterA, bOverA);
        expect(merged).not.toMatch(LONE_SURROGATE);

        const c = g(arbitraryOpFor, afterA);
        const ac = compose(a, c);
        expect(checkOpFits(text, ac)).toBeNull();
        expect(apply(text, ac)).not.toMatch(LONE_SURROGATE);
      }),
      { numRuns: 1000 },
    );
  });
});

/** The same op with every component split into single code units / code points, plus a trailing skip. */
function denormalize(op: TextOp): TextOp {
  const out: (number | string | { d: number })[] = [];
  for (const c of op) {
    if (typeof c === "number") for (let i = 0; i < c; i++) out.push(1);
    else if (typeof c === "string") out.push(...Array.from(c));
    else for (let i = 0; i < c.d; i++) out.push({ d: 1 });
  }
  out.push(1);
  return out;
}
