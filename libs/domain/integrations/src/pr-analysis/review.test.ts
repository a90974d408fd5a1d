import { PrReviewSchema } from "@devflow/contracts";
import { describe, expect, it } from "vitest";
import type { FetchedFile } from "./analyze";
import { fingerprintOf } from "./findings";
import { parseReviewAnswer, type ParseContext } from "./review";

const SHA = "1".repeat(40);
const DOC_ID = "0b7e2c1a-54f1-4c3e-9a5e-2f6d1d1b7c10";
const OTHER_DOC = "9f1d2c3b-54f1-4c3e-9a5e-2f6d1d1b7c11";

const files: FetchedFile[] = [
  {
    filename: "libs/payments/src/refund.ts",
    status: "modified",
    additions: 2,
    deletions: 0,
    previousFilename: null,
    added: [
      [10, "  scheduleRefundRetry(refund.id);"],
      [11, "  return refund;"],
    ],
  },
];
const ctx: ParseContext = {
  model: "gpt-4o-mini",
  provider: "openai",
  files,
  headSha: SHA,
  documentIds: [DOC_ID],
  known: new Map(),
};

const answer = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    summary: "Adds retries to refunds. Check the backoff.",
    findings: [{ file: "libs/payments/src/refund.ts", line: 10, severity: "warning", message: "No retry limit." }],
    docs: [{ documentId: DOC_ID, verdict: "follows", explanation: "The doc puts retries in refund.ts." }],
    ...extra,
  });

describe("parsing the model's review", () => {
  it("reads a valid answer into a summary, fingerprinted model findings and doc notes", () => {
    const review = parseReviewAnswer(answer(), ctx);
    expect(PrReviewSchema.parse(review)).toEqual({
      model: "gpt-4o-mini",
      provider: "openai",
      summary: "Adds retries to refunds. Check the backoff.",
      findings: [
        {
          fingerprint: fingerprintOf("model", "libs/payments/src/refund.ts", "scheduleRefundRetry(refund.id);"),
          source: "model",
          severity: "warning",
          file: "libs/payments/src/refund.ts",
          line: 10,
          message: "No retry limit.",
          firstSeenSha: SHA,
        },
      ],
      droppedFindings: 0,
      docNotes: [{ documentId: DOC_ID, verdict: "follows", explanation: "The doc puts retries in refund.ts." }],
    });
  });

  it("tolerates a code fence around the JSON and keeps a finding's first sighting", () => {
    const fingerprint = fingerprintOf("model", "libs/payments/src/refund.ts", "scheduleRefundRetry(refund.id);");
    const review = parseReviewAnswer(`\`\`\`json\n${answer()}\n\`\`\``, {
      ...ctx,
      known: new Map([[fingerprint, "0".repeat(40)]]),
    });
    expect(review).toMatchObject({ findings: [{ fingerprint, firstSeenSha: "0".repeat(40) }] });
  });

  it("records an error for an answer that is not JSON or lacks a summary", () => {
    expect(parseReviewAnswer("I think this looks fine!", ctx)).toEqual({
      model: "gpt-4o-mini",
      provider: "openai",
      error: "The answer held no JSON object",
    });
    expect(parseReviewAnswer('{"summary": "cut off', ctx)).toMatchObject({ error: "The answer held no JSON object" });
    expect(parseReviewAnswer('{"summary": "a", }', ctx)).toMatchObject({ error: "The answer's JSON did not parse" });
    expect(parseReviewAnswer('{"findings": []}', ctx)).toMatchObject({
      error: expect.stringMatching(/did not match the review format/),
    });
  });

  it("drops findings outside the diff's added lines, invalid ones and those past ten", () => {
    const inDiff = { file: "libs/payments/src/refund.ts", severity: "info", message: "ok" };
    const review = parseReviewAnswer(
      answer({
        findings: [
          { ...inDiff, line: 9 }, // a context line, not added
          { ...inDiff, file: "libs/payments/src/other.ts", line: 10 }, // not in the pull request
          { ...inDiff, line: 11, severity: "blocker" }, // unknown severity
          { ...inDiff, line: 11, message: "Returns without waiting." },
          ...Array.from({ length: 12 }, () => ({ ...inDiff, line: 10 })), // one line, one fingerprint
        ],
      }),
      ctx,
    );
    expect(review).toMatchObject({ droppedFindings: 14 });
    expect("findings" in review && review.findings.map((f) => [f.line, f.message])).toEqual([
      [11, "Returns without waiting."],
      [10, "ok"],
    ]);
  });

  it("keeps at most ten findings, most severe first", () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      file: "libs/payments/src/refund.ts",
      line: 10 + i,
      severity: i === 11 ? "critical" : "info",
      message: `finding ${i}`,
    }));
    const wide = {
      ...ctx,
      files: [{ ...files[0]!, added: many.map((f) => [f.line, `line ${f.line}`] as [number, string]) }],
    };
    const review = parseReviewAnswer(answer({ findings: many }), wide);
    expect("findings" in review && review.findings.map((f) => f.message)).toEqual([
      "finding 11",
      ...Array.from({ length: 9 }, (_, i) => `finding ${i}`),
    ]);
    expect(review).toMatchObject({ droppedFindings: 2 });
  });

  it("drops notes on docs the prompt did not show, with an unknown verdict, or repeated", () => {
    const review = parseReviewAnswer(
      answer({
        docs: [
          { documentId: OTHER_DOC, verdict: "follows", explanation: "Another organization's doc." },
          { documentId: "not-an-id", verdict: "follows", explanation: "x" },
          { documentId: DOC_ID, verdict: "maybe", explanation: "x" },
          { documentId: DOC_ID, verdict: "deviates", explanation: "The doc asks for a retry limit." },
          { documentId: DOC_ID, verdict: "follows", explanation: "second note" },
        ],
      }),
      ctx,
    );
    expect(review).toMatchObject({
      docNotes: [{ documentId: DOC_ID, verdict: "deviates", explanation: "The doc asks for a retry limit." }],
    });
  });
});
