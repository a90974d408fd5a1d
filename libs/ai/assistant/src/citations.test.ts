import type { CitablePassage } from "@devflow/ai-llm";
import { describe, expect, it } from "vitest";
import { extractCitations } from "./citations";

const passage = (ref: number, text: string): CitablePassage => ({
  ref,
  documentId: `00000000-0000-4000-8000-00000000000${ref}`,
  title: `Doc ${ref}`,
  heading: null,
  version: ref + 1,
  start: 10 * ref,
  end: 10 * ref + text.length,
  text,
});
const passages = [passage(1, "Entries expire after one hour."), passage(2, "Writes purge the key.")];

describe("extractCitations", () => {
  it("maps markers to the passages' documents, versions, ranges and quotes, in order of first use, once each", () => {
    const { citations, text } = extractCitations("Writes purge [2]. Entries expire [1][2], see [1, 2].", passages);
    expect(text).toBe("Writes purge [2]. Entries expire [1][2], see [1][2].");
    expect(citations).toEqual([
      {
        ref: 2,
        documentId: passages[1]!.documentId,
        title: "Doc 2",
        version: 3,
        start: 20,
        end: 41,
        quote: "Writes purge the key.",
      },
      {
        ref: 1,
        documentId: passages[0]!.documentId,
        title: "Doc 1",
        version: 2,
        start: 10,
        end: 40,
        quote: "Entries expire after one hour.",
      },
    ]);
  });

  it("drops markers that name no passage, from the citations and from the text", () => {
    const { citations, text } = extractCitations("It holds [9]. Also [1, 7] and [0].", passages);
    expect(text).toBe("It holds. Also [1] and.");
    expect(citations.map((c) => c.ref)).toEqual([1]);
  });

  it("leaves code, indexes and markdown links alone", () => {
    const answer = "Use `items[1]` or list[2], see [1](https://x.test) and\n```\nconst a = b[2];\n```\nper [2].";
    const { citations, text } = extractCitations(answer, passages);
    expect(text).toBe(answer);
    expect(citations.map((c) => c.ref)).toEqual([2]);
  });
});
