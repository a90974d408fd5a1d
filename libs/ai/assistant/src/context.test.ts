import type { RetrievedPassage } from "@devflow/ai-rag";
import { describe, expect, it } from "vitest";
import { assembleContext, type ContextInput } from "./context";

const retrieved = (i: number, content: string): RetrievedPassage => ({
  chunkId: `c${i}`,
  sourceType: "document",
  sourceId: `00000000-0000-4000-8000-00000000000${i}`,
  sourceVersion: 4,
  projectId: "p",
  title: `Doc ${i}`,
  heading: `Doc ${i} › Part`,
  startOffset: 0,
  endOffset: content.length,
  content,
  score: 1 / i,
  highlights: [],
});

const base: ContextInput = {
  contextTokens: 8_000,
  outputTokens: 1_000,
  question: "When do entries expire?",
  history: [],
  project: { name: "Platform", description: "Core services" },
  excerpt: null,
  passages: [retrieved(1, "Entries expire after one hour."), retrieved(2, "Writes purge the key.")],
  hasTools: false,
};

describe("assembleContext", () => {
  it("numbers the passages, renders them into the system prompt with the project, and ends with the question", () => {
    const { messages, passages } = assembleContext(base);
    expect(passages.map((p) => [p.ref, p.title, p.version])).toEqual([
      [1, "Doc 1", 4],
      [2, "Doc 2", 4],
    ]);
    expect(messages[0]!.role).toBe("system");
    expect(messages[0]!.content).toContain("[1] Doc 1 › Part");
    expect(messages[0]!.content).toContain("Entries expire after one hour.");
    expect(messages[0]!.content).toContain("Platform: Core services");
    expect(messages[0]!.content).toMatch(/square brackets/);
    expect(messages.at(-1)).toEqual({ role: "user", content: "When do entries expire?" });
  });

  it("puts the open document's sections first, with the selected text named, and skips retrieved passages overlapping them", () => {
    const content = "# Cache\n\nEntries expire after one hour.\n";
    const { passages, messages } = assembleContext({
      ...base,
      excerpt: {
        documentId: base.passages[0]!.sourceId,
        title: "Cache",
        version: 4,
        start: 0,
        end: content.length,
        text: content,
        selection: { from: 9, to: 16 },
      },
    });
    // One source per section, so a citation points at the paragraph it used.
    expect(passages.map((p) => [p.ref, p.title, p.text])).toEqual([
      [1, "Cache", "# Cache\n\nEntries expire after one hour."],
      [2, "Doc 2", "Writes purge the key."],
    ]);
    expect(content.slice(passages[0]!.start, passages[0]!.end)).toBe(passages[0]!.text);
    expect(messages[0]!.content).toContain('They selected this text:\n"""\nEntries\n"""');
  });

  it("leaves out whole passages and the oldest turns that do not fit the window, never a conversation that opens with an answer", () => {
    const long = "word ".repeat(2_000);
    const { passages, messages } = assembleContext({
      ...base,
      contextTokens: 3_000,
      outputTokens: 500,
      passages: [retrieved(1, long), retrieved(2, "Short passage.")],
      history: [
        { role: "user", content: "old question " + "x ".repeat(6_000) },
        { role: "assistant", content: "old answer" },
        { role: "user", content: "recent question" },
        { role: "assistant", content: "recent answer" },
      ],
    });
    expect(passages.map((p) => p.text)).toEqual(["Short passage."]);
    expect(passages[0]!.ref).toBe(1);
    expect(messages.slice(1).map((m) => m.content)).toEqual(["recent question", "recent answer", base.question]);
  });
});

describe("assembleContext with uploaded files", () => {
  const file = (sourceId: string, content: string): RetrievedPassage => ({
    ...retrieved(9, content),
    sourceType: "file",
    sourceId,
    sourceVersion: 1,
    title: "runbook.pdf",
    heading: "runbook.pdf › Restarts",
  });

  it("numbers a file's passage as a file source, names it as an uploaded file, and keeps a document with the same offsets", () => {
    const sameId = base.passages[0]!.sourceId;
    const { passages, messages } = assembleContext({
      ...base,
      passages: [base.passages[0]!, file(sameId, "Restart the workers one by one.")],
    });
    expect(passages.map((p) => [p.ref, p.sourceType])).toEqual([
      [1, "document"],
      [2, "file"],
    ]);
    expect(passages[1]).toMatchObject({ fileId: sameId, title: "runbook.pdf", version: 1 });
    expect(passages[1]).not.toHaveProperty("documentId");
    expect(messages[0]!.content).toContain('[2] runbook.pdf › Restarts (uploaded file "runbook.pdf")');
  });

  it("leaves out a passage of a kind that cannot be cited yet", () => {
    const issue: RetrievedPassage = { ...retrieved(3, "An issue."), sourceType: "issue" };
    const { passages } = assembleContext({ ...base, passages: [issue, ...base.passages] });
    expect(passages.map((p) => p.title)).toEqual(["Doc 1", "Doc 2"]);
  });
});
