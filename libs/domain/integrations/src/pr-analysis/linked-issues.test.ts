import { describe, expect, it } from "vitest";
import { issueReferences } from "./linked-issues";

const REPO = "Codertocat/Hello-World";

describe("issueReferences", () => {
  it("reads GitHub's closing keywords, any case, with or without a colon, as closes", () => {
    const text = "Close #1. closes #2, Closed #3\nfix #4 FIXES: #5 fixed #6 resolve #7 Resolves #8 resolved #9";
    expect(issueReferences(text, REPO)).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 9].map((number) => ({ number, relation: "closes" })),
    );
  });

  it("reads plain #N as mentions, and closes wins when the same issue is also closed", () => {
    expect(issueReferences("See #12 and #13. Fixes #13", REPO)).toEqual([
      { number: 12, relation: "mentions" },
      { number: 13, relation: "closes" },
    ]);
  });

  it("takes owner/repo#N of this repository, case-insensitively, and skips other repositories'", () => {
    expect(
      issueReferences("Fixes codertocat/hello-world#4, fixes octo/other#5, see Codertocat/Hello-World#6", REPO),
    ).toEqual([
      { number: 4, relation: "closes" },
      { number: 6, relation: "mentions" },
    ]);
  });

  it("ignores # inside words, URLs and headings", () => {
    expect(issueReferences("## Notes\nprefixes #1 is a mention; a#2, /pull/3#4, C#7, #0", REPO)).toEqual([
      { number: 1, relation: "mentions" },
    ]);
  });

  it("lists at most 20 issues", () => {
    const text = Array.from({ length: 30 }, (_, i) => `#${i + 1}`).join(" ");
    expect(issueReferences(text, REPO)).toHaveLength(20);
  });
});
