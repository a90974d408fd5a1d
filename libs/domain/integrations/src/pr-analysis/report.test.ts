import { describe, expect, it } from "vitest";
import { analyzePullRequest } from "./analyze";
import { checkRunOutput, commentBody } from "./report";

const SHA = "1".repeat(40);
const analysis = analyzePullRequest({
  pr: {
    headSha: SHA,
    title: "Refund retries",
    body: "",
    author: "octocat",
    totalFiles: 1,
    totalAdditions: 1,
    totalDeletions: 0,
    files: [
      {
        filename: "libs/payments/src/refund.ts",
        status: "modified",
        additions: 1,
        deletions: 0,
        previousFilename: null,
        added: [[3, "console.log(refund);"]],
      },
    ],
    commits: [],
  },
  docs: [],
  mentions: {},
  repositorySettings: {},
  previous: null,
  history: [],
  now: new Date("2026-11-30T12:00:00Z"),
});
const docUrl = (id: string) => `https://devflow.example.test/acme/documents/${id}`;

describe("the model's section of the comment", () => {
  it("follows the rule-based sections, names the model and defuses mentions and HTML in its text", () => {
    const body = commentBody(
      {
        ...analysis,
        review: {
          model: "gpt-4o-mini",
          provider: "openai",
          summary: "Ask @octocat.\n<img src=x> <!-- hidden -->",
          findings: [],
          droppedFindings: 0,
          docNotes: [],
        },
      },
      docUrl,
    );
    expect(body.indexOf("`debug-statement`")).toBeLessThan(body.indexOf("#### From gpt-4o-mini"));
    expect(body).toContain("Ask @\u200boctocat. &lt;img src=x&gt; &lt;!-- hidden --&gt;");
    expect(body.match(/<!--/g)).toHaveLength(1); // only the marker
  });

  it("says the review is missing when the model failed, and the check run never mentions the model", () => {
    const failed = { ...analysis, review: { model: "gpt-4o-mini", provider: "openai", error: "ai_timeout" } };
    expect(commentBody(failed, docUrl)).toContain(
      "#### From gpt-4o-mini\n\n_The model's review is missing for this push; everything above is rule-based._",
    );
    expect(commentBody(failed, docUrl)).not.toContain("ai_timeout");
    expect(checkRunOutput(failed)).toEqual(checkRunOutput(analysis));
  });
});

describe("the linked issues and reviewers in the comment", () => {
  it("lists each linked issue with its relation, title, state and priority, and each reviewer with the reason", () => {
    const body = commentBody(
      {
        ...analysis,
        linkedIssues: [
          {
            number: 12,
            relation: "closes",
            title: "Refunds | fail",
            state: "open",
            url: "https://github.com/o/r/issues/12",
            priority: "P1",
          },
          { number: 40, relation: "mentions", title: null, state: null, url: null, priority: null },
        ],
        reviewers: [
          { login: "acme/payments", pullRequests: 0, directories: [], kind: "owner", reason: "owns 1 changed file" },
          { login: "bob", pullRequests: 2, directories: ["libs/payments"] },
        ],
      },
      docUrl,
    );
    expect(body).toContain(
      "**Linked issues:** closes [#12](https://github.com/o/r/issues/12) Refunds \\| fail (open, P1), mentions #40",
    );
    expect(body).toContain("**Suggested reviewers:** @acme/payments (owns 1 changed file), @bob (libs/payments)");
  });
});
