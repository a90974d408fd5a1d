import type { RepositoryDto } from "@devflow/contracts";
import { describe, expect, it } from "vitest";
import {
  EMPTY_ISSUE_FORM,
  availableTrackers,
  buildIssueRequest,
  passageProblem,
  serverFieldMessages,
} from "./issue-request";

const REPOSITORY_ID = "0b6f3c52-5f0e-4d7a-9a51-3f1f7d7f2e10";

const repository: RepositoryDto = {
  id: REPOSITORY_ID,
  provider: "github",
  fullName: "acme/api",
  defaultBranch: "main",
  project: null,
  openPullRequestCount: 0,
  recentDeploymentCount: 0,
};

describe("which trackers are offered", () => {
  it("offers the connected trackers, in a fixed order", () => {
    expect(availableTrackers(["linear", "jira"], [repository])).toEqual(["jira", "linear"]);
    expect(availableTrackers([], [repository])).toEqual([]);
  });

  it("offers GitHub only once a repository to file into is known", () => {
    expect(availableTrackers(["github", "jira"], [repository])).toEqual(["github", "jira"]);
    expect(availableTrackers(["github", "jira"], [])).toEqual(["jira"]);
    expect(availableTrackers(["github"], undefined)).toEqual([]);
  });
});

describe("building the request", () => {
  it("asks for a tracker before anything else", () => {
    expect(buildIssueRequest(EMPTY_ISSUE_FORM, "Cache for an hour")).toEqual({
      ok: false,
      fields: { tracker: "Choose where to file the issue." },
    });
  });

  it("sends a Jira key in capitals, Task by default, and no blank title", () => {
    const form = { ...EMPTY_ISSUE_FORM, tracker: "jira" as const, projectKey: " pay ", issueType: " " };
    expect(buildIssueRequest(form, "Cache for an hour")).toEqual({
      ok: true,
      input: { tracker: "jira", projectKey: "PAY", issueType: "Task", passage: "Cache for an hour" },
    });
  });

  it("sends only the chosen tracker's field, with the title trimmed", () => {
    const form = { ...EMPTY_ISSUE_FORM, tracker: "github" as const, repositoryId: REPOSITORY_ID, teamId: "x" };
    expect(buildIssueRequest({ ...form, title: "  Add caching " }, "Cache")).toEqual({
      ok: true,
      input: { tracker: "github", repositoryId: REPOSITORY_ID, passage: "Cache", title: "Add caching" },
    });
  });

  it("says which field to fix, in the form's words", () => {
    expect(buildIssueRequest({ ...EMPTY_ISSUE_FORM, tracker: "jira", projectKey: "pay-1" }, "Cache")).toEqual({
      ok: false,
      fields: { projectKey: "Enter a Jira project key, like PAY (capital letters, digits or _; at most 10)." },
    });
    expect(buildIssueRequest({ ...EMPTY_ISSUE_FORM, tracker: "linear" }, "Cache")).toEqual({
      ok: false,
      fields: { teamId: "Enter the Linear team's id." },
    });
    expect(buildIssueRequest({ ...EMPTY_ISSUE_FORM, tracker: "github" }, "Cache")).toEqual({
      ok: false,
      fields: { repositoryId: "Choose a repository." },
    });
  });

  it("refuses an empty or overlong passage", () => {
    const form = { ...EMPTY_ISSUE_FORM, tracker: "linear" as const, teamId: "ENG" };
    expect(buildIssueRequest(form, "  ")).toEqual({
      ok: false,
      fields: { passage: "Select the passage the issue is about first." },
    });
    expect(passageProblem("x".repeat(10_001))).toBe("The passage is 10,001 characters; select at most 10,000.");
    expect(passageProblem("x".repeat(10_000))).toBeNull();
  });
});

describe("the server's field problems", () => {
  it("puts each under its field and drops paths the form does not have", () => {
    expect(
      serverFieldMessages([
        { path: "passage", message: "Select the passage again: the document changed" },
        { path: "tracker", message: "Linear is not connected" },
        { path: "somethingElse", message: "ignored" },
      ]),
    ).toEqual({ passage: "Select the passage again: the document changed", tracker: "Linear is not connected" });
  });
});
