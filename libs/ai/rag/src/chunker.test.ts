import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkMarkdown, CHUNK_MAX_CHARS } from "./chunker";

const sentence = (i: number) => `Sentence number ${i} explains one more detail of the design. `;

describe("chunkMarkdown", () => {
  it("cuts chunks whose offsets slice back to exactly their content", () => {
    const text = `# Ledger\n\nIntro text.\n\n## Storage\n\n${"Rows are append-only. ".repeat(120)}\n\n## API\n\nOne endpoint.\n`;
    const chunks = chunkMarkdown(text, { title: "Ledger design" });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) expect(text.slice(chunk.startOffset, chunk.endOffset)).toBe(chunk.content);
    expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i));
  });

  it("gives each chunk the title and the path of headings above it", () => {
    const text = "# Payments\n\nOverview.\n\n## Retries\n\nWhy.\n\n### Backoff\n\nDoubling.\n\n## Refunds\n\nHow.";
    const chunks = chunkMarkdown(text, { title: "Payments RFC" });
    expect(chunks.map((c) => c.headingPath)).toEqual([
      ["Payments RFC", "Payments"],
      ["Payments RFC", "Payments", "Retries"],
      ["Payments RFC", "Payments", "Retries", "Backoff"],
      ["Payments RFC", "Payments", "Refunds"],
    ]);
    expect(chunks[2]!.heading).toBe("Payments RFC › Payments › Retries › Backoff");
    expect(chunks[2]!.content).toBe("### Backoff\n\nDoubling.");
  });

  it("does not repeat the title when the first heading already is the title", () => {
    const [chunk] = chunkMarkdown("# Cache design\n\nBody.", { title: "Cache design" });
    expect(chunk!.headingPath).toEqual(["Cache design"]);
  });

  it("folds a heading with nothing under it into the next section", () => {
    const text = "# Title\n\n## Context\n\nThe context.";
    const chunks = chunkMarkdown(text);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ startOffset: 0, headingPath: ["Title", "Context"], content: text });
  });

  it("ignores heading-like lines inside fenced code", () => {
    const text = "## Setup\n\n```sh\n# not a heading\nnpm start\n```\n\nDone.";
    const chunks = chunkMarkdown(text);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.headingPath).toEqual(["Setup"]);
  });

  it("splits a long section into pieces of at most the maximum, at sentence ends", () => {
    const body = Array.from({ length: 80 }, (_, i) => sentence(i)).join("");
    const text = `## Details\n\n${body}`;
    const chunks = chunkMarkdown(text);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.content.length).toBeLessThanOrEqual(CHUNK_MAX_CHARS);
      expect(chunk.headingPath).toEqual(["Details"]);
    }
    // Every piece but the last ends a sentence, and together they cover the whole body.
    for (const chunk of chunks.slice(0, -1)) expect(chunk.content.endsWith(".")).toBe(true);
    expect(
      chunks
        .map((c) => c.content)
        .join(" ")
        .replace(/\s+/g, " "),
    ).toBe(text.trim().replace(/\s+/g, " "));
  });

  it("prefers paragraph breaks to sentence ends", () => {
    const paragraph = (n: number) =>
      Array.from({ length: 6 }, (_, i) => sentence(n * 10 + i))
        .join("")
        .trim();
    const text = [0, 1, 2, 3, 4].map(paragraph).join("\n\n");
    for (const chunk of chunkMarkdown(text)) {
      expect(text.slice(chunk.endOffset, chunk.endOffset + 2) === "\n\n" || chunk.endOffset === text.length).toBe(true);
    }
  });

  it("cuts an unbroken run hard, never between the halves of a surrogate pair", () => {
    const text = "😀".repeat(2_000);
    const chunks = chunkMarkdown(text);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.content.length).toBeLessThanOrEqual(CHUNK_MAX_CHARS);
      expect(chunk.content.length % 2).toBe(0);
      expect(chunk.content).toBe("😀".repeat(chunk.content.length / 2));
    }
    expect(chunks.reduce((n, c) => n + c.content.length, 0)).toBe(text.length);
  });

  it("yields one title-only chunk for an empty document, and nothing without a title", () => {
    expect(chunkMarkdown("  \n\n ", { title: "Empty RFC" })).toEqual([
      { index: 0, startOffset: 0, endOffset: 0, headingPath: ["Empty RFC"], heading: "Empty RFC", content: "" },
    ]);
    expect(chunkMarkdown("")).toEqual([]);
  });

  it("keeps offsets exact and chunks bounded for any text", () => {
    const piece = fc.constantFrom(
      "# H1\n",
      "## H2\n",
      "```\n",
      "word ",
      "End. ",
      "\n\n",
      "😀",
      "é",
      "\r\n",
      "x".repeat(300),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 200 }), (pieces) => {
        const text = pieces.join("");
        const chunks = chunkMarkdown(text, { title: "T" });
        let previousEnd = 0;
        for (const chunk of chunks) {
          expect(text.slice(chunk.startOffset, chunk.endOffset)).toBe(chunk.content);
          expect(chunk.content.length).toBeLessThanOrEqual(CHUNK_MAX_CHARS);
          expect(chunk.startOffset).toBeGreaterThanOrEqual(previousEnd);
          previousEnd = chunk.endOffset;
        }
      }),
      { numRuns: 300 },
    );
  });
});
