import { describe, expect, it } from "vitest";
import { acceptanceCriteriaOf, draftIssue } from "./issue-draft";

const source = {
  documentTitle: "Retry policy [v2]",
  documentUrl: "https://devflow.example.test/acme/documents/0b8d9a3e-8a7c-4f51-9a8e-2f0c3e5b1d11",
  documentId: "0b8d9a3e-8a7c-4f51-9a8e-2f0c3e5b1d11",
};

describe("acceptanceCriteriaOf", () => {
  it("takes the passage's list items, checkboxes and numbers alike", () => {
    const passage = "Retries:\n- back off exponentially\n2. [ ] give up after 5 attempts\n* [x] log each attempt";
    expect(acceptanceCriteriaOf(passage)).toEqual([
      "back off exponentially",
      "give up after 5 attempts",
      "log each attempt",
    ]);
  });

  it("otherwise takes the sentences that state a requirement, and nothing else", () => {
    const passage =
      "## Delivery\nWebhooks arrive in bursts. The worker must answer within 50 ms. Payloads should be stored before processing! It is fast.";
    expect(acceptanceCriteriaOf(passage)).toEqual([
      "The worker must answer within 50 ms.",
      "Payloads should be stored before processing!",
    ]);
  });
});

describe("draftIssue", () => {
  it("titles the issue by the passage's heading, quotes it and links back to the doc", () => {
    const draft = draftIssue({ ...source, passage: "## Dead letters\nFailed jobs must be visible to admins." });
    expect(draft.title).toBe("Dead letters");
    expect(draft.body).toBe(
      [
        "> ## Dead letters",
        "> Failed jobs must be visible to admins.",
        "",
        "### Acceptance criteria",
        "- [ ] Failed jobs must be visible to admins.",
        "",
        `From the design doc [Retry policy \\[v2\\]](${source.documentUrl}) (devflow:${source.documentId}).`,
      ].join("\n"),
    );
    expect(draft.plainBody).toContain(`(devflow:${source.documentId})`);
    expect(draft.acceptanceCriteria).toEqual(["Failed jobs must be visible to admins."]);
  });

  it("uses a chosen title, else the first sentence, cut to the limit", () => {
    expect(draftIssue({ ...source, passage: "Text.", title: "  Mine  " }).title).toBe("Mine");
    const long = `${"word ".repeat(40)}end. Second sentence.`;
    const title = draftIssue({ ...source, passage: long }).title;
    expect(title.length).toBeLessThanOrEqual(120);
    expect(title.endsWith("…")).toBe(true);
  });

  it("says when the passage states no criteria rather than inventing some", () => {
    const draft = draftIssue({ ...source, passage: "Background about queues." });
    expect(draft.acceptanceCriteria).toEqual([]);
    expect(draft.body).toContain("_The passage states none; add them here._");
  });
});
