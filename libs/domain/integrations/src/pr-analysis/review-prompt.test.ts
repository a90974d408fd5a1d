import type { DocRef } from "@devflow/contracts";
import { describe, expect, it } from "vitest";
import { analyzePullRequest, type FetchedFile, type FetchedPullRequest } from "./analyze";
import { docMentions } from "./doc-compliance";
import { buildReviewPrompt, relevantDocText } from "./review-prompt";

const SHA = "1".repeat(40);
const DOC_ID = "0b7e2c1a-54f1-4c3e-9a5e-2f6d1d1b7c10";

function file(filename: string, added: [number, string][]): FetchedFile {
  return {
    filename,
    status: "modified",
    additions: added.length,
    deletions: 0,
    previousFilename: null,
    added,
  };
}

function pull(files: FetchedFile[]): FetchedPullRequest {
  return {
    headSha: SHA,
    title: "Refund retries",
    body: "Retries failed refunds.",
    author: "octocat",
    totalFiles: files.length,
    totalAdditions: files.reduce((n, f) => n + f.additions, 0),
    totalDeletions: 0,
    files,
    commits: [{ sha: SHA, author: "octocat", message: "Retry refunds" }],
  };
}

const doc: DocRef = {
  documentId: DOC_ID,
  title: "Refund retries",
  status: "approved",
  version: 12,
  revision: null,
  source: "linked",
};
const DOC_TEXT = "# Refund retries\n\nRetries live in `libs/payments/` (`refund.ts`).";

function prompt(files: FetchedFile[], budgetChars: number, docText = DOC_TEXT) {
  const pr = pull(files);
  const analysis = analyzePullRequest({
    pr,
    docs: [doc],
    mentions: { [DOC_ID]: docMentions(docText) },
    repositorySettings: {},
    previous: null,
    history: [],
    now: new Date("2026-11-30T12:00:00Z"),
  });
  return buildReviewPrompt({ pr, analysis, docTexts: { [DOC_ID]: docText }, budgetChars });
}

const lines = (prefix: string, count: number, from = 1): [number, string][] =>
  Array.from({ length: count }, (_, i) => [from + i, `${prefix} line ${from + i} ${"x".repeat(60)}`]);
const length = (p: ReturnType<typeof prompt>) => p.messages.reduce((n, m) => n + m.content.length, 0);
const user = (p: ReturnType<typeof prompt>) => p.messages.find((m) => m.role === "user")!.content;

describe("the review prompt", () => {
  it("shows the title, description, file groups, rule findings, the doc by id and the numbered added lines", () => {
    const p = prompt([file("libs/payments/src/refund.ts", [[3, "  console.log(refund);"]])], 20_000);
    const text = user(p);
    expect(p.messages[0]).toMatchObject({ role: "system" });
    expect(text).toContain("Title: Refund retries");
    expect(text).toContain("Retries failed refunds.");
    expect(text).toContain("- libs/payments source 1 +1 -0");
    expect(text).toContain("- warning debug-statement libs/payments/src/refund.ts:3:");
    expect(text).toContain(`### documentId ${DOC_ID}: "Refund retries" (approved, version 12)`);
    expect(text).toContain("Retries live in `libs/payments/`");
    expect(text).toContain("### libs/payments/src/refund.ts\n3:   console.log(refund);");
    expect(p.documentIds).toEqual([DOC_ID]);
  });

  it("stays within its character budget however large the diff and the doc, saying what it left out", () => {
    const files = [
      file("libs/payments/src/refund.ts", lines("refund", 500)),
      file("libs/payments/src/ledger.ts", lines("ledger", 500)),
    ];
    const longDoc = `# Refund retries\n\n${"A paragraph about refunds. ".repeat(40)}\n\n`.repeat(30);
    for (const budget of [3_000, 8_000, 20_000]) {
      const p = prompt(files, budget, longDoc);
      expect(length(p)).toBeLessThanOrEqual(budget);
      expect(user(p)).toMatch(/\(… \d+ more added lines not shown\)/);
    }
  });

  it("shows only lines the pull request adds, source files before config, and never lockfiles", () => {
    const p = prompt(
      [
        file("package-lock.json", [[1, '"lockfileVersion": 3']]),
        file("config/app.json", [[2, '"retries": 3']]),
        file("libs/payments/src/refund.ts", [
          [10, "scheduleRefundRetry(refund.id);"],
          [12, "return refund;"],
        ]),
      ],
      20_000,
    );
    const added = user(p).split("## Added lines")[1]!;
    const rows = added.split("\n").filter((row) => /^\d+: /.test(row));
    expect(rows).toEqual(["10: scheduleRefundRetry(refund.id);", "12: return refund;", '2: "retries": 3']);
    expect(added.indexOf("refund.ts")).toBeLessThan(added.indexOf("config/app.json"));
    expect(added).not.toContain("package-lock.json");
  });

  it("keeps a long doc's opening and the paragraphs about the changed files", () => {
    const files = [file("libs/payments/src/refund.ts", [[1, "x"]])];
    const markdown = [
      "# Refund retries",
      ...Array.from({ length: 20 }, (_, i) => `Unrelated paragraph ${i} ${"y".repeat(200)}`),
      "Retries are scheduled in refund.ts with a backoff.",
    ].join("\n\n");
    const text = relevantDocText(markdown, files, 600);
    expect(text.length).toBeLessThanOrEqual(600);
    expect(text.startsWith("# Refund retries")).toBe(true);
    expect(text).toContain("Retries are scheduled in refund.ts");
  });
});
