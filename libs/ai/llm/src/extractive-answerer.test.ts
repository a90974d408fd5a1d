import { describe, expect, it } from "vitest";
import type { CitablePassage, CitablePassageText } from "./chat-model";
import { createExtractiveAnswerer, NO_MODEL_PREAMBLE, splitSentences } from "./extractive-answerer";
import { collectTurn } from "./testing/collect";

function passage(ref: number, title: string, text: string, extra: Partial<CitablePassageText> = {}): CitablePassage {
  return {
    ref,
    documentId: `doc-${ref}`,
    title,
    heading: null,
    version: 3,
    start: 0,
    end: text.length,
    text,
    ...extra,
  };
}

const deploy = passage(
  1,
  "Release process",
  "We ship every Tuesday. Deploys go through the staging cluster first. Rollbacks are done with the deploy script and take five minutes.",
  { heading: "Deploying" },
);
const billing = passage(
  2,
  "Billing",
  "Invoices are generated on the first of the month. Stripe handles card payments.",
);
const oncall = passage(
  3,
  "On-call",
  "The on-call engineer owns production incidents. A rollback is the first response when a deploy breaks checkout.",
);

describe("extractive answerer", () => {
  const answerer = createExtractiveAnswerer();

  it("describes itself as a non-generative model", () => {
    expect(answerer).toMatchObject({ provider: "extractive", model: "extractive-quotes", generative: false });
  });

  it("quotes the most relevant sentences verbatim with [ref] markers and says no model is configured", async () => {
    const turn = await collectTurn(
      answerer.stream({
        messages: [
          { role: "system", content: "ignored" },
          { role: "user", content: "How do rollbacks of a deploy work?" },
        ],
        passages: [deploy, billing, oncall],
      }),
    );
    expect(turn.text.startsWith(NO_MODEL_PREAMBLE)).toBe(true);
    expect(turn.text).toContain(
      "> Deploys go through the staging cluster first. … Rollbacks are done with the deploy script and take five minutes. [1]",
    );
    expect(turn.text).toContain("> A rollback is the first response when a deploy breaks checkout. [3]");
    expect(turn.text).toContain("**Release process** — Deploying");
    expect(turn.text).not.toContain("[2]");
    expect(turn.text).not.toContain("Stripe");
  });

  it("answers the last user question, not an earlier one", async () => {
    const turn = await collectTurn(
      answerer.stream({
        messages: [
          { role: "user", content: "How do rollbacks work?" },
          { role: "assistant", content: "…" },
          { role: "user", content: "And when are invoices generated?" },
        ],
        passages: [deploy, billing, oncall],
      }),
    );
    expect(turn.text).toContain("> Invoices are generated on the first of the month. [2]");
    expect(turn.text).not.toContain("[1]");
  });

  it("prefers sentences that retrieval highlighted", async () => {
    const text = "Alpha beta gamma. The escalation policy lives in PagerDuty.";
    const highlighted = passage(4, "Runbook", text, {
      highlights: [{ start: text.indexOf("escalation"), end: text.indexOf("escalation") + 10 }],
    });
    const turn = await collectTurn(
      answerer.stream({ messages: [{ role: "user", content: "escalations?" }], passages: [highlighted] }),
    );
    expect(turn.text).toContain("> The escalation policy lives in PagerDuty. [4]");
    expect(turn.text).not.toContain("Alpha");
  });

  it("quotes at most three passages", async () => {
    const many = [1, 2, 3, 4, 5].map((ref) => passage(ref, `Doc ${ref}`, `The deploy checklist, copy ${ref}.`));
    const turn = await collectTurn(
      answerer.stream({ messages: [{ role: "user", content: "deploy checklist" }], passages: many }),
    );
    expect(turn.text.match(/\[\d\]/g)).toEqual(["[1]", "[2]", "[3]"]);
  });

  it("keeps retrieval's top passage when no passage shares a word with the question", async () => {
    const turn = await collectTurn(
      answerer.stream({ messages: [{ role: "user", content: "automobile" }], passages: [billing, deploy] }),
    );
    expect(turn.text).toContain("> Invoices are generated on the first of the month. [2]");
  });

  it("says it found nothing when there are no passages", async () => {
    const turn = await collectTurn(answerer.stream({ messages: [{ role: "user", content: "Where is the roadmap?" }] }));
    expect(turn.text).toMatch(/No language model is configured, and I found nothing in the workspace/);
  });

  it("streams a few text chunks, reports zero usage and never calls tools", async () => {
    const turn = await collectTurn(
      answerer.stream({
        messages: [{ role: "user", content: "deploy rollback" }],
        passages: [deploy, oncall],
        tools: [{ name: "search_documents", description: "search", inputSchema: { type: "object" } }],
      }),
    );
    const texts = turn.events.filter((e) => e.type === "text");
    expect(texts.length).toBeGreaterThanOrEqual(2);
    expect(texts.length).toBeLessThanOrEqual(4);
    expect(turn.toolCalls).toEqual([]);
    expect(turn.events.at(-1)).toEqual({
      type: "done",
      finishReason: "stop",
      usage: { inputTokens: 0, outputTokens: 0 },
    });
  });

  it("stops when the caller aborts", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      collectTurn(
        answerer.stream({ messages: [{ role: "user", content: "x" }], passages: [deploy], signal: controller.signal }),
      ),
    ).rejects.toMatchObject({ name: "AbortError" });
  });

  it("splits sentences with their exact offsets", () => {
    const text = "One. Two!  Three?\n\n- four";
    const sentences = splitSentences(text);
    expect(sentences.map((s) => s.text)).toEqual(["One.", "Two!", "Three?", "- four"]);
    for (const s of sentences) expect(text.slice(s.start, s.end)).toBe(s.text);
  });
});
