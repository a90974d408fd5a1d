import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkOpFits, MAX_OP_SIZE_DEFAULT, parseOp, splitsSurrogatePair, type InvalidOpReason } from "./parse-op";
import { arbitraryOpFor, arbitraryText } from "./testing";

function reasonOf(input: unknown, options?: Parameters<typeof parseOp>[1]): InvalidOpReason | "ok" {
  const result = parseOp(input, options);
  return result.ok ? "ok" : result.error.reason;
}

describe("parseOp", () => {
  it("accepts every op an editor can produce, unchanged", () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const text = g(arbitraryText);
        const op = g(arbitraryOpFor, text);
        const result = parseOp(JSON.parse(JSON.stringify(op)), { document: text });
        expect(result).toEqual({ ok: true, op });
      }),
      { numRuns: 500 },
    );
  });

  it("accepts the empty op, which a concurrent identical edit can leave behind", () => {
    expect(parseOp([])).toEqual({ ok: true, op: [] });
  });

  it("normalizes adjacent components and a trailing skip", () => {
    expect(parseOp([1, 2, "a", "b", { d: 1 }, { d: 1 }, 4])).toEqual({ ok: true, op: [3, "ab", { d: 2 }] });
  });

  it.each<[string, unknown, InvalidOpReason]>([
    ["a string", "abc", "not_an_array"],
    ["null", null, "not_an_array"],
    ["an object", { ops: [] }, "not_an_array"],
    ["a negative skip", [-1, "a"], "bad_skip"],
    ["a zero skip", [0, "a"], "bad_skip"],
    ["a fractional skip", [1.5, "a"], "bad_skip"],
    ["an infinite skip", [Infinity, "a"], "bad_skip"],
    ["a NaN skip", [NaN, "a"], "bad_skip"],
    ["a negative delete", [{ d: -2 }], "bad_delete"],
    ["a zero delete", [{ d: 0 }], "bad_delete"],
    ["a string delete", [{ d: "2" }], "bad_delete"],
    ["an empty insert", [""], "empty_insert"],
    ["an insert with half an emoji", ["\uD83D"], "lone_surrogate"],
    ["an insert with a lone low surrogate", ["a\uDE00"], "lone_surrogate"],
    ["a delete with extra keys", [{ d: 1, i: "x" }], "bad_component"],
    ["an insert object", [{ i: "x" }], "bad_component"],
    ["a nested array", [[1]], "bad_component"],
    ["a null component", [null], "bad_component"],
    ["a boolean", [true], "bad_component"],
  ])("rejects %s", (_, input, reason) => {
    expect(reasonOf(input)).toBe(reason);
  });

  it("points at the offending component", () => {
    const result = parseOp([2, "ok", { d: -1 }]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.componentIndex).toBe(2);
  });

  it("rejects ops bigger than the configured size, counting inserted text and components", () => {
    expect(reasonOf(["abcd"], { maxSize: 5 })).toBe("ok");
    expect(reasonOf(["abcde"], { maxSize: 5 })).toBe("too_large");
    expect(reasonOf([1, "a", 1, "b", 1, "c"], { maxSize: 8 })).toBe("too_large");
    expect(reasonOf(new Array(MAX_OP_SIZE_DEFAULT + 1).fill("a"))).toBe("too_large");
    expect(reasonOf(["x".repeat(MAX_OP_SIZE_DEFAULT)])).toBe("too_large");
    const tooLarge = parseOp(["abcdef"], { maxSize: 5 });
    expect(tooLarge.ok || tooLarge.error.code).toBe("payload_too_large");
  });

  it("rejects ops longer than the document when the document is given", () => {
    expect(reasonOf([3, "x"], { document: "abc" })).toBe("ok");
    expect(reasonOf([4, "x"], { document: "abc" })).toBe("longer_than_document");
    expect(reasonOf([2, { d: 2 }], { document: "abc" })).toBe("longer_than_document");
    expect(reasonOf([4, "x"])).toBe("ok");
  });

  it("rejects ops that cut a surrogate pair when the document is given", () => {
    expect(reasonOf([1, "x"], { document: "😀" })).toBe("splits_surrogate_pair");
    expect(reasonOf([{ d: 1 }], { document: "😀" })).toBe("splits_surrogate_pair");
    expect(reasonOf([2, { d: 2 }], { document: "a😀b" })).toBe("splits_surrogate_pair");
    expect(reasonOf([{ d: 2 }], { document: "a😀b" })).toBe("splits_surrogate_pair");
    expect(reasonOf([1, { d: 2 }, "x"], { document: "a😀b" })).toBe("ok");
    expect(reasonOf([3, "x"], { document: "a😀b" })).toBe("ok");
  });

  it("rejects ops that grow the document past the limit", () => {
    expect(reasonOf([3, "xy"], { document: "abc", maxDocumentLength: 5 })).toBe("ok");
    expect(reasonOf([3, "xyz"], { document: "abc", maxDocumentLength: 5 })).toBe("document_too_large");
    expect(reasonOf([{ d: 3 }, "xyz"], { document: "abc", maxDocumentLength: 5 })).toBe("ok");
  });
});

describe("checkOpFits", () => {
  it("uses the 1 MB document limit by default", () => {
    const big = "a".repeat(999_999);
    expect(checkOpFits(big, [999_999, "b"])).toBeNull();
    expect(checkOpFits(big, [999_999, "bc"])?.reason).toBe("document_too_large");
  });
});

describe("splitsSurrogatePair", () => {
  it("is true only between the two halves of a pair", () => {
    const text = "a😀b";
    expect([0, 1, 2, 3, 4].map((i) => splitsSurrogatePair(text, i))).toEqual([false, false, true, false, false]);
  });
});
