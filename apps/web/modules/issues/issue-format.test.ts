import { describe, expect, it } from "vitest";
import { becauseText, formatSimilarity, newLabelSuggestions } from "./issue-format";

const because = (value: string) => ({ value, because: ["crashes"] });

describe("issue triage formatting", () => {
  it("says which words led to a suggestion, and nothing when none did", () => {
    expect(becauseText(["crashes", "data loss"])).toBe("because: crashes, data loss");
    expect(becauseText([])).toBeNull();
  });

  it("suggests only labels the issue does not carry yet, whatever their case", () => {
    const triage = { labels: [because("bug"), because("Area: Editor"), because("regression")] };
    expect(newLabelSuggestions({ labels: ["BUG", "area: editor"], triage }).map((label) => label.value)).toEqual([
      "regression",
    ]);
    expect(newLabelSuggestions({ labels: ["bug"], triage: null })).toEqual([]);
  });

  it("shows similarity as a whole percentage, never below zero", () => {
    expect([formatSimilarity(0.873), formatSimilarity(1), formatSimilarity(-0.2)]).toEqual(["87%", "100%", "0%"]);
  });
});
