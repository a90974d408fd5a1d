import { describe, expect, it } from "vitest";
import { groupPassages, headingUnderTitle, snippetOf, termHighlights, type RankedPassage } from "./group-passages";

const PROJECT = "00000000-0000-4000-8000-0000000000aa";
const DOC_A = "00000000-0000-4000-8000-00000000000a";
const DOC_B = "00000000-0000-4000-8000-00000000000b";

function passage(
  overrides: Partial<RankedPassage> & Pick<RankedPassage, "chunkId" | "sourceId" | "score">,
): RankedPassage {
  const content = overrides.content ?? `Passage ${overrides.chunkId} about webhook retries.`;
  const at = content.indexOf("webhook");
  return {
    sourceType: "document",
    sourceVersion: 4,
    projectId: PROJECT,
    title: `Title of ${overrides.sourceId.slice(-1)}`,
    heading: "Delivery",
    startOffset: 100,
    endOffset: 100 + content.length,
    content,
    highlights: at >= 0 ? [{ start: at, end: at + 7 }] : [],
    ...overrides,
  };
}

const names = new Map([[PROJECT, "Platform"]]);

describe("groupPassages", () => {
  it("gives one result per document, best document first, with its passages best first", () => {
    const results = groupPassages(
      [
        passage({ chunkId: "a1", sourceId: DOC_A, score: 0.4 }),
        passage({ chunkId: "b1", sourceId: DOC_B, score: 0.9 }),
        passage({ chunkId: "a2", sourceId: DOC_A, score: 0.7 }),
      ],
      { limit: 10, query: "webhook", projectNames: names },
    );
    expect(results.map((r) => r.documentId)).toEqual([DOC_B, DOC_A]);
    expect(results[1]!.passages.map((p) => p.chunkId)).toEqual(["a2", "a1"]);
    expect(results[1]!.score).toBe(0.7);
  });

  it("keeps the passage's range and version for opening the document at it", () => {
    const [result] = groupPassages(
      [passage({ chunkId: "a1", sourceId: DOC_A, score: 1, startOffset: 12, endOffset: 80, sourceVersion: 9 })],
      {
        limit: 10,
        query: "webhook",
        projectNames: names,
      },
    );
    expect(result!.passages[0]).toMatchObject({ startOffset: 12, endOffset: 80, version: 9, heading: "Delivery" });
    expect(result!.projectName).toBe("Platform");
  });

  it("caps passages per document and documents per answer", () => {
    const many = Array.from({ length: 5 }, (_, i) => passage({ chunkId: `a${i}`, sourceId: DOC_A, score: 1 - i / 10 }));
    const results = groupPassages([...many, passage({ chunkId: "b1", sourceId: DOC_B, score: 0.1 })], {
      limit: 1,
      query: "webhook",
      projectNames: names,
      passagesPerResult: 2,
    });
    expect(results).toHaveLength(1);
    expect(results[0]!.passages.map((p) => p.chunkId)).toEqual(["a0", "a1"]);
  });

  it("leaves out sources the palette cannot open and names no unknown project", () => {
    const results = groupPassages(
      [
        passage({ chunkId: "t1", sourceId: DOC_A, score: 1, sourceType: "issue" }),
        passage({ chunkId: "b1", sourceId: DOC_B, score: 0.5 }),
      ],
      { limit: 10, query: "webhook", projectNames: new Map() },
    );
    expect(results.map((r) => r.documentId)).toEqual([DOC_B]);
    expect(results[0]!.projectName).toBeNull();
  });

  it("returns nothing for no passages", () => {
    expect(groupPassages([], { limit: 5, query: "x", projectNames: names })).toEqual([]);
  });
});

describe("snippetOf", () => {
  it("keeps short content whole with its highlights", () => {
    expect(snippetOf("retry the webhook", [{ start: 10, end: 17 }])).toEqual({
      text: "retry the webhook",
      highlights: [{ start: 10, end: 17 }],
    });
  });

  it("windows long content around the first match and moves the highlights with it", () => {
    const content = `${"lorem ipsum ".repeat(40)}the webhook retries ${"dolor sit ".repeat(40)}`;
    const at = content.indexOf("webhook");
    const snippet = snippetOf(content, [{ start: at, end: at + 7 }], 120);
    expect(snippet.text.startsWith("…")).toBe(true);
    expect(snippet.text.endsWith("…")).toBe(true);
    expect(snippet.text.length).toBeLessThanOrEqual(122);
    const [mark] = snippet.highlights;
    expect(snippet.text.slice(mark!.start, mark!.end)).toBe("webhook");
  });

  it("starts at the beginning when the match is near it", () => {
    const content = `webhook ${"x ".repeat(200)}`;
    const snippet = snippetOf(content, [{ start: 0, end: 7 }], 50);
    expect(snippet.text.startsWith("webhook")).toBe(true);
    expect(snippet.highlights).toEqual([{ start: 0, end: 7 }]);
  });

  it("drops highlights that fall outside the window", () => {
    const content = `alpha ${"x ".repeat(300)}omega`;
    const end = content.length;
    const snippet = snippetOf(
      content,
      [
        { start: 0, end: 5 },
        { start: end - 5, end },
      ],
      60,
    );
    expect(snippet.highlights).toEqual([{ start: 0, end: 5 }]);
  });
});

describe("termHighlights", () => {
  it("marks the query's words where they start words, ignoring case", () => {
    const title = "Leases and the release of leases";
    const ranges = termHighlights(title, "lease");
    expect(ranges.map((r) => title.slice(r.start, r.end))).toEqual(["Lease", "lease"]);
  });

  it("treats the query's punctuation as plain text, not as a pattern", () => {
    expect(termHighlights("a (b) c++ d", "c++ (b")).toEqual([]);
    const title = "Plan for C++ interop";
    expect(termHighlights(title, "interop.*")).toEqual([{ start: 13, end: 20 }]);
  });

  it("skips one-letter words", () => {
    expect(termHighlights("a plan", "a")).toEqual([]);
  });
});

describe("headingUnderTitle", () => {
  it("drops the title that retrieval puts before the headings", () => {
    expect(headingUnderTitle("Plan › Delivery › Retries", "Plan")).toBe("Delivery › Retries");
  });

  it("has no heading for a passage under the title alone", () => {
    expect(headingUnderTitle("Plan", "Plan")).toBeNull();
    expect(headingUnderTitle(null, "Plan")).toBeNull();
  });

  it("keeps a heading that does not start with the title", () => {
    expect(headingUnderTitle("Planning › Risks", "Plan")).toBe("Planning › Risks");
  });
});
