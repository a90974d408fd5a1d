import { describe, expect, it } from "vitest";
import { findHighlights } from "./highlights";
import { stem } from "./text-terms";

const marked = (content: string, query: string) =>
  findHighlights(content, query).map((h) => content.slice(h.start, h.end));

describe("findHighlights", () => {
  it("marks every occurrence of the query's words, in any case and form", () => {
    expect(marked("Caching helps. The cache is warm; caches expire.", "cache")).toEqual(["Caching", "cache", "caches"]);
  });

  it("leaves stop words unmarked unless the query has nothing else", () => {
    expect(marked("The retry of the webhook", "the webhook")).toEqual(["webhook"]);
    expect(marked("To be or not to be", "to be")).toEqual(["To", "be", "to", "be"]);
  });

  it("uses UTF-16 offsets, past emoji and accents", () => {
    const content = "😀 Café menu, café prices";
    expect(marked(content, "cafe")).toEqual(["Café", "café"]);
  });

  it("returns nothing for a query without words", () => {
    expect(findHighlights("some text", "!!")).toEqual([]);
  });
});

describe("stem", () => {
  it("brings common forms of a word together", () => {
    expect(new Set(["cache", "caches", "caching", "cached"].map(stem)).size).toBe(1);
    expect(new Set(["retry", "retries", "retried"].map(stem)).size).toBe(1);
    expect(new Set(["policy", "policies"].map(stem)).size).toBe(1);
    expect(stem("running")).toBe(stem("run"));
  });

  it("leaves short words and numbers alone", () => {
    expect(stem("bed")).toBe("bed");
    expect(stem("2024s")).toBe("2024s");
  });
});
