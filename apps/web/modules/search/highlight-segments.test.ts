import { describe, expect, it } from "vitest";
import { highlightSegments, normalizeRanges } from "./highlight-segments";

const joined = (segments: { text: string }[]) => segments.map((s) => s.text).join("");

describe("highlightSegments", () => {
  it("splits text into plain and matched runs that join back to the text", () => {
    const text = "Retry the webhook with backoff";
    const segments = highlightSegments(text, [
      { start: 10, end: 17 },
      { start: 23, end: 30 },
    ]);
    expect(segments).toEqual([
      { text: "Retry the ", isMatch: false },
      { text: "webhook", isMatch: true },
      { text: " with ", isMatch: false },
      { text: "backoff", isMatch: true },
    ]);
    expect(joined(segments)).toBe(text);
  });

  it("returns the whole text unmarked when nothing matched", () => {
    expect(highlightSegments("plain", [])).toEqual([{ text: "plain", isMatch: false }]);
  });

  it("keeps one empty segment for empty text", () => {
    expect(highlightSegments("", [{ start: 0, end: 3 }])).toEqual([{ text: "", isMatch: false }]);
  });

  it("marks a match at the very start and end", () => {
    const segments = highlightSegments("abc", [{ start: 0, end: 3 }]);
    expect(segments).toEqual([{ text: "abc", isMatch: true }]);
  });

  it("never duplicates text for overlapping, unsorted or out-of-range ranges", () => {
    const text = "lease fencing token";
    const segments = highlightSegments(text, [
      { start: 6, end: 13 },
      { start: 0, end: 5 },
      { start: 3, end: 8 },
      { start: 14, end: 99 },
      { start: -4, end: -1 },
      { start: 9, end: 9 },
    ]);
    expect(joined(segments)).toBe(text);
    expect(segments.filter((s) => s.isMatch).map((s) => s.text)).toEqual(["lease fencing", "token"]);
  });
});

describe("normalizeRanges", () => {
  it("merges ranges that touch", () => {
    expect(
      normalizeRanges(
        [
          { start: 4, end: 6 },
          { start: 0, end: 4 },
        ],
        10,
      ),
    ).toEqual([{ start: 0, end: 6 }]);
  });

  it("does not change the caller's ranges", () => {
    const ranges = [
      { start: 0, end: 4 },
      { start: 2, end: 8 },
    ];
    normalizeRanges(ranges, 10);
    expect(ranges).toEqual([
      { start: 0, end: 4 },
      { start: 2, end: 8 },
    ]);
  });
});
