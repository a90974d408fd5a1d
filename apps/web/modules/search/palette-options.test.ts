import type { SearchPassageDto, SearchResultDto } from "@devflow/contracts";
import { describe, expect, it } from "vitest";
import { flattenGroups, isNavigationKey, moveActiveIndex, paletteGroupsOf } from "./palette-options";

function passage(chunkId: string): SearchPassageDto {
  return {
    chunkId,
    heading: null,
    snippet: `text of ${chunkId}`,
    highlights: [],
    startOffset: 0,
    endOffset: 10,
    version: 1,
    score: 1,
  };
}

function result(documentId: string, chunkIds: string[]): SearchResultDto {
  return {
    sourceType: "document",
    documentId,
    title: `Doc ${documentId}`,
    titleHighlights: [],
    projectId: "00000000-0000-4000-8000-000000000001",
    projectName: "Platform",
    score: 1,
    passages: chunkIds.map(passage),
  };
}

describe("paletteGroupsOf", () => {
  const groups = paletteGroupsOf([result("a", ["a1", "a2"]), result("b", ["b1"])], "opt");

  it("puts each document's title row first, then its passages, in one running index", () => {
    expect(groups.map((g) => g.options.map(({ option, index }) => [option.kind, index]))).toEqual([
      [
        ["document", 0],
        ["passage", 1],
        ["passage", 2],
      ],
      [
        ["document", 3],
        ["passage", 4],
      ],
    ]);
  });

  it("gives each row a unique DOM id that matches its index", () => {
    const flat = flattenGroups(groups);
    expect(flat.map((o) => o.id)).toEqual(["opt-0", "opt-1", "opt-2", "opt-3", "opt-4"]);
    const second = flat[4];
    expect(second?.kind === "passage" && second.passage.chunkId).toBe("b1");
  });

  it("has no rows without results", () => {
    expect(flattenGroups(paletteGroupsOf([], "opt"))).toEqual([]);
  });
});

describe("moveActiveIndex", () => {
  it("moves down and wraps from the last row to the first", () => {
    expect(moveActiveIndex(0, "ArrowDown", 3)).toBe(1);
    expect(moveActiveIndex(2, "ArrowDown", 3)).toBe(0);
  });

  it("moves up and wraps from the first row to the last", () => {
    expect(moveActiveIndex(2, "ArrowUp", 3)).toBe(1);
    expect(moveActiveIndex(0, "ArrowUp", 3)).toBe(2);
  });

  it("starts at the first row on ↓ and the last on ↑ when none is active", () => {
    expect(moveActiveIndex(-1, "ArrowDown", 4)).toBe(0);
    expect(moveActiveIndex(-1, "ArrowUp", 4)).toBe(3);
  });

  it("pages without wrapping", () => {
    expect(moveActiveIndex(1, "PageDown", 20)).toBe(6);
    expect(moveActiveIndex(18, "PageDown", 20)).toBe(19);
    expect(moveActiveIndex(3, "PageUp", 20)).toBe(0);
  });

  it("keeps a stale index inside a list that shrank", () => {
    expect(moveActiveIndex(9, "ArrowUp", 3)).toBe(2);
    expect(moveActiveIndex(9, "ArrowDown", 3)).toBe(0);
  });

  it("has no active row when there are no rows", () => {
    expect(moveActiveIndex(0, "ArrowDown", 0)).toBe(-1);
    expect(moveActiveIndex(-1, "PageDown", 0)).toBe(-1);
  });
});

describe("isNavigationKey", () => {
  it("knows the keys the listbox handles and no others", () => {
    expect(isNavigationKey("ArrowDown")).toBe(true);
    expect(isNavigationKey("PageUp")).toBe(true);
    expect(isNavigationKey("Home")).toBe(false);
    expect(isNavigationKey("Enter")).toBe(false);
    expect(isNavigationKey("a")).toBe(false);
  });
});
