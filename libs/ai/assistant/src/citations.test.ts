import type { CitablePassage } from "@devflow/ai-llm";
import { ChatMessageSchema, CheckCitationsInputSchema, CitationSchema } from "@devflow/contracts";
import { describe, expect, it } from "vitest";
import { extractCitations } from "./citations";

const passage = (ref: number, text: string): CitablePassage & { documentId: string } => ({
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
        sourceType: "document",
        documentId: passages[1]!.documentId,
        title: "Doc 2",
        version: 3,
        start: 20,
        end: 41,
        quote: "Writes purge the key.",
      },
      {
        ref: 1,
        sourceType: "document",
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

describe("citing an uploaded file", () => {
  const fileId = "00000000-0000-4000-8000-0000000000f1";
  const filePassage: CitablePassage = {
    ref: 3,
    sourceType: "file",
    fileId,
    title: "runbook.pdf",
    heading: "runbook.pdf › Restarts",
    version: 1,
    start: 120,
    end: 151,
    text: "Restart the workers one by one.",
  };

  it("cites a file passage by its file id, never as a document", () => {
    const { citations } = extractCitations("Restart them one at a time [3], after the purge [2].", [
      ...passages,
      filePassage,
    ]);
    expect(citations).toEqual([
      {
        ref: 3,
        sourceType: "file",
        fileId,
        title: "runbook.pdf",
        version: 1,
        start: 120,
        end: 151,
        quote: "Restart the workers one by one.",
      },
      expect.objectContaining({ ref: 2, sourceType: "document", documentId: passages[1]!.documentId }),
    ]);
    expect(citations[0]).not.toHaveProperty("documentId");
    // What the stream sends and chat stores parses as it was written.
    expect(citations.map((c) => CitationSchema.parse(c))).toEqual(citations);
  });
});

describe("stored citations", () => {
  it("parses a citation written before files could be cited as a document citation", () => {
    const old = {
      ref: 1,
      documentId: "6f1b7a52-37f2-4d51-9a4c-7a0d9b2d8c11",
      title: "Cache",
      version: 3,
      start: 10,
      end: 25,
      quote: "one hour expiry",
    };
    expect(CitationSchema.parse(old)).toEqual({ ...old, sourceType: "document" });
    expect(ChatMessageSchema.shape.citations.parse([old])).toEqual([{ ...old, sourceType: "document" }]);
  });

  it("refuses a file citation without its file id, and a document citation without its document id", () => {
    const cited = { ref: 1, title: "x", version: 1, start: 0, end: 1, quote: "x" };
    const id = "6f1b7a52-37f2-4d51-9a4c-7a0d9b2d8c11";
    expect(CitationSchema.safeParse({ ...cited, sourceType: "file", documentId: id }).success).toBe(false);
    expect(CitationSchema.safeParse({ ...cited, sourceType: "document", fileId: id }).success).toBe(false);
    expect(CitationSchema.safeParse({ ...cited, sourceType: "issue", documentId: id }).success).toBe(false);
  });

  it("checks old citation references as documents, and file references by file id", () => {
    const id = "6f1b7a52-37f2-4d51-9a4c-7a0d9b2d8c11";
    const range = { version: 1, start: 0, end: 4 };
    expect(
      CheckCitationsInputSchema.parse({
        citations: [
          { documentId: id, ...range },
          { sourceType: "file", fileId: id, ...range },
        ],
      }).citations,
    ).toEqual([
      { sourceType: "document", documentId: id, ...range },
      { sourceType: "file", fileId: id, ...range },
    ]);
  });
});
