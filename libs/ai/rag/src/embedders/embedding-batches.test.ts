import { describe, expect, it } from "vitest";
import { l2Normalize, planBatches, truncateForEmbedding } from "./embedding-batches";

describe("truncateForEmbedding", () => {
  it("keeps short texts as they are", () => {
    expect(truncateForEmbedding("short text", 100)).toBe("short text");
  });

  it("cuts at the last space near the limit so no word is split", () => {
    const cut = truncateForEmbedding("word ".repeat(100), 203);
    expect(cut).toBe("word ".repeat(40).trimEnd());
  });

  it("cuts mid-word when there is no space close to the limit", () => {
    expect(truncateForEmbedding("x".repeat(50), 20)).toHaveLength(20);
  });

  it("never leaves half of a surrogate pair at the end", () => {
    const text = "a".repeat(9) + "😀" + "b".repeat(10); // the emoji takes code units 9 and 10
    const cut = truncateForEmbedding(text, 10);
    expect(cut).toBe("a".repeat(9));
    expect(() => encodeURIComponent(cut)).not.toThrow();
  });
});

describe("planBatches", () => {
  it("starts a new batch at the input count or the character budget, keeping order", () => {
    const limits = { maxInputs: 3, maxCharsPerInput: 100, maxCharsPerRequest: 10 };
    expect(planBatches(["aaaa", "bbbb", "cc", "d", "e", "f", "g"], limits)).toEqual([
      ["aaaa", "bbbb", "cc"],
      ["d", "e", "f"],
      ["g"],
    ]);
    expect(planBatches(["aaaaaaaa", "bbbbbbbb"], limits)).toEqual([["aaaaaaaa"], ["bbbbbbbb"]]);
    expect(planBatches([], limits)).toEqual([]);
  });

  it("puts a text larger than the budget in a batch of its own rather than dropping it", () => {
    expect(planBatches(["x".repeat(50), "y"], { maxInputs: 5, maxCharsPerInput: 100, maxCharsPerRequest: 10 })).toEqual(
      [["x".repeat(50)], ["y"]],
    );
  });
});

describe("l2Normalize", () => {
  it("scales to unit length and leaves a zero vector at zero", () => {
    expect(l2Normalize([3, 4])).toEqual([0.6, 0.8]);
    expect(l2Normalize(new Float32Array([0, 0]))).toEqual([0, 0]);
  });
});
