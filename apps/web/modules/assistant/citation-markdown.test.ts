import { describe, expect, it } from "vitest";
import { citationRefOf, linkCitations } from "./citation-markdown";

describe("linkCitations", () => {
  it("links known markers, leaves unknown ones, code and indexes as written", () => {
    const out = linkCitations("Expires [1][3], see [1, 2] and `a[1]` or b[1].", new Set([1, 2]));
    expect(out).toBe("Expires [\\[1\\]](#cite-1)[3], see [\\[1\\]](#cite-1)[\\[2\\]](#cite-2) and `a[1]` or b[1].");
  });

  it("reads a chip's number back from its link", () => {
    expect(citationRefOf("#cite-4")).toBe(4);
    expect(citationRefOf("https://example.test")).toBeNull();
    expect(citationRefOf("#cite-x")).toBeNull();
  });
});
