import { describe, expect, it } from "vitest";
import { documentHref, parsePassageTarget, relocatePassage } from "./passage-link";

describe("documentHref", () => {
  it("links to the document alone without a passage", () => {
    expect(documentHref("demo-co", "d1")).toBe("/demo-co/documents/d1");
  });

  it("carries the passage's range and version in the query", () => {
    expect(documentHref("demo-co", "d1", { from: 40, to: 120, version: 7 })).toBe(
      "/demo-co/documents/d1?at=40-120&v=7",
    );
  });

  it("round-trips through parsePassageTarget", () => {
    const href = documentHref("o", "d", { from: 3, to: 9, version: 12 });
    const query = Object.fromEntries(new URL(href, "http://x").searchParams);
    expect(parsePassageTarget(query)).toEqual({ from: 3, to: 9, version: 12 });
  });
});

describe("parsePassageTarget", () => {
  it("reads at=<from>-<to> and v=<version>", () => {
    expect(parsePassageTarget({ at: "0-15", v: "0" })).toEqual({ from: 0, to: 15, version: 0 });
  });

  it.each([
    [{}],
    [{ at: "1-5" }],
    [{ v: "3" }],
    [{ at: "5-1", v: "3" }],
    [{ at: "a-5", v: "3" }],
    [{ at: "-1-5", v: "3" }],
    [{ at: "01-5", v: "3" }],
    [{ at: "1-5", v: "x" }],
    [{ at: "1-99999999999", v: "3" }],
    [{ at: "1-5", v: "9999999999" }],
    [{ at: ["1-5", "2-6"], v: "3" }],
  ])("ignores a missing or malformed target %j", (query) => {
    expect(parsePassageTarget(query)).toBeNull();
  });
});

describe("relocatePassage", () => {
  const indexed = "# Plan\n\nWe retry webhooks with exponential backoff.\n\n## Risks\n\nNone yet.";
  const passageStart = indexed.indexOf("We retry");
  const passageEnd = indexed.indexOf("backoff.") + "backoff.".length;
  const range = { from: passageStart, to: passageEnd };

  it("keeps the range when the text is unchanged", () => {
    expect(relocatePassage(indexed, indexed, range)).toEqual(range);
  });

  it("follows the passage when text was inserted before it", () => {
    const current = `Intro paragraph added later.\n\n${indexed}`;
    const moved = relocatePassage(indexed, current, range);
    expect(moved).not.toBeNull();
    expect(current.slice(moved!.from, moved!.to)).toBe(indexed.slice(range.from, range.to));
  });

  it("picks the occurrence nearest the old place when the passage repeats", () => {
    const line = "We retry webhooks with exponential backoff.";
    const indexedLate = `${"p".repeat(200)}${line}`;
    const current = `${line}${"q".repeat(180)}${line}${"r".repeat(400)}${line}`;
    const moved = relocatePassage(indexedLate, current, { from: 200, to: 200 + line.length });
    expect(moved).toEqual({ from: line.length + 180, to: 2 * line.length + 180 });
  });

  it("selects the passage's first line when the rest of it was edited", () => {
    const indexedTwoLines = "Intro\n\nThe lease is renewed every few seconds.\nOld second line.";
    const from = indexedTwoLines.indexOf("The lease");
    const current = "Intro\n\nThe lease is renewed every few seconds.\nA rewritten second line.";
    const moved = relocatePassage(indexedTwoLines, current, { from, to: indexedTwoLines.length });
    expect(current.slice(moved!.from, moved!.to)).toBe("The lease is renewed every few seconds.");
  });

  it("gives up rather than select unrelated text when the passage is gone", () => {
    expect(relocatePassage(indexed, "# Plan\n\nSomething else entirely.", range)).toBeNull();
  });

  it("clamps a range past the end of the indexed text", () => {
    expect(relocatePassage("short", "short", { from: 2, to: 99 })).toEqual({ from: 2, to: 5 });
  });
});
