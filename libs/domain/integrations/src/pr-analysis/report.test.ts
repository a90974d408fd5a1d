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
