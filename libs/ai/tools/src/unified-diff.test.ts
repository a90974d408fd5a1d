import { describe, expect, it } from "vitest";
import { unifiedDiff } from "./unified-diff";

describe("unifiedDiff", () => {
  it("writes diff -u hunks with the labels as file names", () => {
    const diff = unifiedDiff("a\nb\nc\n", "a\nB\nc\n", { from: "Plan (v3)", to: "Plan (edited)" });
    expect(diff).toBe("--- Plan (v3)\n+++ Plan (edited)\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
  });

  it("is empty when nothing changed", () => {
    expect(unifiedDiff("same\n", "same\n", { from: "a", to: "b" })).toBe("");
  });
});
