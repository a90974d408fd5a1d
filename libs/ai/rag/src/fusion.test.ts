import { describe, expect, it } from "vitest";
import { reciprocalRankFusion, RRF_K } from "./fusion";

describe("reciprocalRankFusion", () => {
  it("ranks an item high in both lists above one that tops only one", () => {
    const fused = reciprocalRankFusion([
      ["a", "b", "c"],
      ["b", "d", "a"],
    ]);
    expect(fused.map((f) => f.id)).toEqual(["b", "a", "d", "c"]);
    expect(fused[0]).toEqual({ id: "b", score: 1 / (RRF_K + 2) + 1 / (RRF_K + 1), ranks: [2, 1] });
    expect(fused.find((f) => f.id === "c")!.ranks).toEqual([3, null]);
  });

  it("keeps one list's order when the other is empty", () => {
    expect(reciprocalRankFusion([["x", "y", "z"], []]).map((f) => f.id)).toEqual(["x", "y", "z"]);
  });

  it("counts an id repeated within one list once, at its best rank", () => {
    const [only] = reciprocalRankFusion([["a", "a"]]);
    expect(only!.score).toBe(1 / (RRF_K + 1));
  });

  it("returns nothing for no lists", () => {
    expect(reciprocalRankFusion([[], []])).toEqual([]);
  });
});
