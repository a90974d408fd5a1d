import { describe, expect, it } from "vitest";
import { suggestComponent, suggestLabels, suggestPriority } from "./triage-rules";

describe("suggestPriority", () => {
  it("puts outages, data loss and security first, with the words that said so", () => {
    expect(suggestPriority("Checkout is down in production since the deploy")).toEqual({
      value: "P1",
      because: ["down", "production"],
    });
    expect(suggestPriority("Possible data loss when two editors save")).toMatchObject({ value: "P1" });
  });

  it("puts breakage second and everything else third", () => {
    expect(suggestPriority("Export fails for files over 10 MB")).toEqual({ value: "P2", because: ["fails"] });
    expect(suggestPriority("Dark mode for the sidebar")).toEqual({ value: "P3", because: [] });
  });

  it("matches whole words only", () => {
    // "download" contains "down", "errors" is not "error".
    expect(suggestPriority("Download button colour")).toMatchObject({ value: "P3" });
  });
});

describe("suggestLabels", () => {
  it("picks the repository's own label for each kind the text suggests", () => {
    const vocabulary = ["type: bug", "enhancement", "documentation", "area: editor"];
    expect(suggestLabels("The editor crashes when pasting; also the README typo", vocabulary)).toEqual([
      { value: "type: bug", because: ["crashes"] },
      { value: "documentation", because: ["readme", "typo"] },
    ]);
  });

  it("never invents a label the repository does not use, unless it uses none yet", () => {
    expect(suggestLabels("Search is slow", ["bug"])).toEqual([]);
    expect(suggestLabels("Search is slow", [])).toEqual([{ value: "performance", because: ["slow"] }]);
  });
});

describe("suggestComponent", () => {
  const vocabulary = ["bug", "area: editor", "area: billing", "component/search-index"];

  it("chooses the component label whose name the text mentions most", () => {
    expect(suggestComponent("The editor's cursor jumps after an undo in the editor", vocabulary)).toEqual({
      value: "area: editor",
      because: ["editor"],
    });
    expect(suggestComponent("The search index misses new docs", vocabulary)).toEqual({
      value: "component/search-index",
      because: ["search", "index"],
    });
  });

  it("is null when no component is mentioned", () => {
    expect(suggestComponent("Something is off", vocabulary)).toBeNull();
  });
});
