import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OutsideServiceRejectedError, OutsideServiceUnavailableError, RateLimitedError } from "./errors";
import { createGitHubClient, type GitHubClient } from "./github";
import { createResilientCaller, type ResilientCaller } from "./resilience";
import { startFakeGitHub, type FakeGitHub, type FakePullRequestFile } from "./testing/fake-github";
import { headerValue } from "./testing/loopback-server";

const TOKEN = "ghs_installation_token_for_tests";
const repo = { owner: "acme", repo: "widgets" };

let github: FakeGitHub;
let caller: ResilientCaller;
let client: GitHubClient;

beforeAll(async () => {
  github = await startFakeGitHub({ token: TOKEN });
  github.addPullRequest("acme", "widgets", {
    number: 7,
    title: "Queue migrations through the outbox",
    body: "Moves the relay to pg-boss.",
    state: "open",
    draft: false,
    merged: false,
    user: { login: "octocat" },
    head: { ref: "outbox-relay", sha: "a".repeat(40) },
    base: { ref: "main", sha: "b".repeat(40) },
    files: [
      { filename: "libs/events/src/outbox.ts", status: "modified", additions: 10, deletions: 2, patch: "@@ -1 +1 @@" },
      { filename: "docs/old.md", status: "renamed", additions: 0, deletions: 0, previous_filename: "docs/older.md" },
    ],
  });
});
afterAll(async () => {
  await github.close();
});
beforeEach(() => {
  caller = createResilientCaller({
    name: "github:installation-1",
    timeoutMs: 2_000,
    errorThresholdPercentage: 50,
    resetTimeoutMs: 1_000,
    volumeThreshold: 3,
  });
  client = createGitHubClient({ token: TOKEN, baseUrl: github.url, caller });
});
afterEach(() => {
  caller.shutdown();
  github.requests.length = 0;
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe("GitHub client", () => {
  it("gets a pull request with the installation token and maps its fields", async () => {
    const pull = await client.getPullRequest({ ...repo, pullNumber: 7 });

    expect(pull).toEqual({
      number: 7,
      title: "Queue migrations through the outbox",
      body: "Moves the relay to pg-boss.",
      state: "open",
      isDraft: false,
      isMerged: false,
      author: "octocat",
      headRef: "outbox-relay",
      headSha: "a".repeat(40),
      baseRef: "main",
      url: "https://github.example/acme/widgets/pull/7",
      additions: 10,
      deletions: 2,
      changedFiles: 2,
    });
    const [request] = github.requests;
    expect(request).toMatchObject({ method: "GET", path: "/repos/acme/widgets/pulls/7" });
    expect(headerValue(request!.headers, "authorization")).toBe(`token ${TOKEN}`);
    expect(headerValue(request!.headers, "accept")).toBe("application/vnd.github.v3+json");
  });

  it("lists every file of a large pull request, following pagination 100 at a time", async () => {
    const files: FakePullRequestFile[] = Array.from({ length: 230 }, (_, i) => ({
      filename: `src/file-${i}.ts`,
      status: "added",
      additions: i,
      deletions: 0,
      patch: `@@ +${i} @@`,
    }));
    github.addPullRequest("acme", "widgets", {
      number: 8,
      title: "Big change",
      body: null,
      state: "open",
      draft: true,
      merged: false,
      user: { login: "octocat" },
      head: { ref: "big", sha: "c".repeat(40) },
      base: { ref: "main", sha: "b".repeat(40) },
      files,
    });

    const listed = await client.listPullRequestFiles({ ...repo, pullNumber: 8 });

    expect(listed).toHaveLength(230);
    expect(listed[229]).toEqual({
      filename: "src/file-229.ts",
      status: "added",
      additions: 229,
      deletions: 0,
      patch: "@@ +229 @@",
      previousFilename: null,
    });
    expect(github.requests.map((r) => [r.path, r.query.get("per_page"), r.query.get("page")])).toEqual([
      ["/repos/acme/widgets/pulls/8/files", "100", "1"],
      ["/repos/acme/widgets/pulls/8/files", "100", "2"],
      ["/repos/acme/widgets/pulls/8/files", "100", "3"],
    ]);
  });

  it("stops listing files at maxFiles, fetching no page past it", async () => {
    const listed = await client.listPullRequestFiles({ ...repo, pullNumber: 8, maxFiles: 150 });
    expect(listed).toHaveLength(150);
    expect(listed[149]!.filename).toBe("src/file-149.ts");
    expect(github.requests.map((r) => r.query.get("page"))).toEqual(["1", "2"]);
  });

  it("lists a pull request's commits with their GitHub authors and author dates", async () => {
    github.addPullRequest("acme", "widgets", {
      number: 9,
      title: "Two commits",
      body: null,
      state: "open",
      draft: false,
      merged: false,
      user: { login: "octocat" },
      head: { ref: "two", sha: "d".repeat(40) },
      base: { ref: "main", sha: "b".repeat(40) },
      commits: [
        { sha: "e".repeat(40), message: "First\n\nBody", author: { login: "octocat" }, date: "2024-03-01T08:00:00Z" },
        { sha: "d".repeat(40), message: "Second", author: null, date: "2024-03-02T09:15:00Z" },
      ],
    });
    expect(await client.listPullRequestCommits({ ...repo, pullNumber: 9 })).toEqual([
      { sha: "e".repeat(40), author: "octocat", message: "First\n\nBody", authoredAt: "2024-03-01T08:00:00Z" },
      { sha: "d".repeat(40), author: null, message: "Second", authoredAt: "2024-03-02T09:15:00Z" },
    ]);
    expect(github.requests[0]!.path).toBe("/repos/acme/widgets/pulls/9/commits");
  });

  it("rewrites a comment by id, and reports a deleted one as not found", async () => {
    const comment = github.addComment("acme", "widgets", 31, {
      body: "old",
      user: { login: "devflow[bot]", type: "Bot" },
    });
    const updated = await client.updateIssueComment({ ...repo, commentId: comment.id, body: "new" });
    expect(updated.id).toBe(comment.id);
    expect(github.comments("acme", "widgets", 31).find((c) => c.id === comment.id)!.body).toBe("new");
    expect(github.requests.map((r) => [r.method, r.path])).toEqual([
      ["PATCH", `/repos/acme/widgets/issues/comments/${comment.id}`],
    ]);
    await expect(client.updateIssueComment({ ...repo, commentId: 1, body: "x" })).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("maps a renamed file's previous name", async () => {
    const listed = await client.listPullRequestFiles({ ...repo, pullNumber: 7 });
    expect(listed[1]).toMatchObject({ filename: "docs/old.md", previousFilename: "docs/older.md", patch: null });
  });

  it("creates an issue with labels and returns its number and page", async () => {
    const created = await client.createIssue({
      ...repo,
      title: "Flaky relay test",
      body: "Seen twice today.",
      labels: ["bug", "ci"],
    });

    expect(created).toEqual({ number: 1, url: "https://github.example/acme/widgets/issues/1" });
    expect(github.requests[0]).toMatchObject({
      method: "POST",
      path: "/repos/acme/widgets/issues",
      body: { title: "Flaky relay test", body: "Seen twice today.", labels: ["bug", "ci"] },
    });
  });

  it("updates the sticky comment carrying the marker instead of adding a second one", async () => {
    github.addComment("acme", "widgets", 7, { body: "Looks good to me", user: { login: "octocat", type: "User" } });

    const first = await client.createOrUpdateIssueComment({
      ...repo,
      issueNumber: 7,
      marker: "devflow:pr-analysis",
      body: "Risk: low",
    });
    const second = await client.createOrUpdateIssueComment({
      ...repo,
      issueNumber: 7,
      marker: "devflow:pr-analysis",
      body: "Risk: high",
    });

    expect(first.created).toBe(true);
    expect(second).toMatchObject({ id: first.id, created: false });
    const comments = github.comments("acme", "widgets", 7);
    expect(comments).toHaveLength(2);
    expect(comments[1]!.body).toBe("Risk: high\n\n<!-- devflow:pr-analysis -->");
    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /repos/acme/widgets/issues/7/comments",
      "POST /repos/acme/widgets/issues/7/comments",
      "GET /repos/acme/widgets/issues/7/comments",
      `PATCH /repos/acme/widgets/issues/comments/${first.id}`,
    ]);
    expect(github.requests[3]!.body).toEqual({ body: "Risk: high\n\n<!-- devflow:pr-analysis -->" });
  });

  it("finds the sticky comment on a later page of a long thread", async () => {
    for (let i = 0; i < 120; i++)
      github.addComment("acme", "widgets", 9, { body: `comment ${i}`, user: { login: "octocat", type: "User" } });
    const sticky = github.addComment("acme", "widgets", 9, {
      body: "old\n\n<!-- devflow:summary -->",
      user: { login: "devflow[bot]", type: "Bot" },
    });

    const result = await client.createOrUpdateIssueComment({
      ...repo,
      issueNumber: 9,
      marker: "devflow:summary",
      body: "new",
    });

    expect(result).toMatchObject({ id: sticky.id, created: false });
    expect(github.comments("acme", "widgets", 9)).toHaveLength(121);
  });

  it("creates a check run and completes it", async () => {
    const run = await client.createCheckRun({
      ...repo,
      name: "DevFlow analysis",
      headSha: "a".repeat(40),
      status: "in_progress",
      externalId: "analysis-42",
      detailsUrl: "https://devflow.example/analyses/42",
    });
    expect(run).toMatchObject({ status: "in_progress", conclusion: null });
    expect(github.requests[0]).toMatchObject({
      method: "POST",
      path: "/repos/acme/widgets/check-runs",
      body: {
        name: "DevFlow analysis",
        head_sha: "a".repeat(40),
        status: "in_progress",
        external_id: "analysis-42",
        details_url: "https://devflow.example/analyses/42",
      },
    });

    const done = await client.updateCheckRun({
      ...repo,
      checkRunId: run.id,
      conclusion: "neutral",
      output: { title: "2 risks", summary: "Migration without a down step." },
    });

    expect(done).toEqual({
      id: run.id,
      url: `https://github.example/acme/widgets/runs/${run.id}`,
      status: "completed",
      conclusion: "neutral",
    });
    expect(github.requests[1]).toMatchObject({
      method: "PATCH",
      path: `/repos/acme/widgets/check-runs/${run.id}`,
      body: { conclusion: "neutral", output: { title: "2 risks", summary: "Migration without a down step." } },
    });
  });

  it("reads a file's text at a ref, decoding GitHub's base64, and null when there is none", async () => {
    const text = "# Owners\n* @octocat\n/docs/ @acme/writers — ünïcode\n".repeat(5);
    github.addFile("acme", "widgets", ".github/CODEOWNERS", text, "release");
    expect(await client.getFileText({ ...repo, path: ".github/CODEOWNERS", ref: "release" })).toBe(text);
    expect(await client.getFileText({ ...repo, path: ".github/CODEOWNERS", ref: "main" })).toBeNull();
    expect(await client.getFileText({ ...repo, path: "CODEOWNERS" })).toBeNull();
    expect(github.requests.filter((r) => r.method === "GET" && r.path.includes("/contents/"))).toHaveLength(3);
  });

  it("reports a missing pull request as a rejection that does not count against the breaker", async () => {
    for (let i = 0; i < 4; i++) {
      const error = await rejection(client.getPullRequest({ ...repo, pullNumber: 404 }));
      expect(error).toBeInstanceOf(OutsideServiceRejectedError);
      expect(error).toMatchObject({ status: 404, code: "not_found", service: "github" });
      expect(error.message).toContain("Not Found");
    }
    expect(caller.state).toBe("closed");
  });

  it("reports a 422 with GitHub's field errors", async () => {
    const error = await rejection(client.createIssue({ ...repo, title: "", body: "x" }));
    expect(error).toMatchObject({ status: 422, code: "validation_failed" });
    expect(error.message).toContain("Validation Failed");
    expect(error.message).toContain("missing_field");
  });

  it("treats a 5xx as unavailable", async () => {
    github.failNext({ status: 502, body: { message: "Server Error" } });
    const error = await rejection(client.getPullRequest({ ...repo, pullNumber: 7 }));
    expect(error).toBeInstanceOf(OutsideServiceUnavailableError);
    expect(error).toMatchObject({ reason: "server_error", status: 502 });
  });

  it("turns a 403 with x-ratelimit-remaining 0 into RateLimitedError until x-ratelimit-reset", async () => {
    const limited = await startFakeGitHub({ token: TOKEN });
    try {
      limited.exhaustRateLimit(Math.floor(Date.now() / 1000) + 120);
      const limitedClient = createGitHubClient({ token: TOKEN, baseUrl: limited.url, caller });

      const error = await rejection(limitedClient.getPullRequest({ ...repo, pullNumber: 7 }));
      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(119);
      expect((error as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(121);

      // Refused locally: the exhausted quota is not spent on calls that would fail anyway.
      expect(await rejection(limitedClient.getPullRequest({ ...repo, pullNumber: 7 }))).toBeInstanceOf(
        RateLimitedError,
      );
      expect(limited.requests).toHaveLength(1);
      expect(caller.state).toBe("closed");
    } finally {
      await limited.close();
    }
  });

  it("treats a secondary rate limit (403 with Retry-After) as rate limited", async () => {
    github.failNext({
      status: 403,
      headers: { "retry-after": "45" },
      body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." },
    });
    const error = await rejection(client.getPullRequest({ ...repo, pullNumber: 7 }));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfterSeconds: 45 });
  });

  it("treats a plain 403 (no rate-limit signal) as a rejection", async () => {
    github.failNext({ status: 403, body: { message: "Resource not accessible by integration" } });
    const error = await rejection(client.createIssue({ ...repo, title: "t", body: "b" }));
    expect(error).toBeInstanceOf(OutsideServiceRejectedError);
    expect(error).toMatchObject({ status: 403, code: "forbidden" });
  });

  it("rejects a revoked token as forbidden", async () => {
    const revoked = createGitHubClient({ token: "ghs_revoked", baseUrl: github.url, caller });
    const error = await rejection(revoked.getPullRequest({ ...repo, pullNumber: 7 }));
    expect(error).toMatchObject({ status: 401, code: "forbidden" });
    expect(error.message).toContain("Bad credentials");
  });

  it("aborts a request GitHub does not answer in time", async () => {
    const slowCaller = createResilientCaller({
      name: "github:installation-2",
      timeoutMs: 200,
      errorThresholdPercentage: 50,
      resetTimeoutMs: 1_000,
      volumeThreshold: 3,
    });
    try {
      const slow = createGitHubClient({ token: TOKEN, baseUrl: github.url, caller: slowCaller });
      // One answered call first, so a cold start (module load, first connection) cannot eat the timeout
      // and abort the request before it reaches the server.
      await slow.getPullRequest({ ...repo, pullNumber: 7 });
      github.hangNext();
      const error = await rejection(slow.getPullRequest({ ...repo, pullNumber: 7 }));
      expect(error).toMatchObject({ reason: "timeout" });
      await github.clientGaveUp();
    } finally {
      slowCaller.shutdown();
    }
  });

  it("reports a refused connection as unavailable", async () => {
    const closed = await startFakeGitHub({ token: TOKEN });
    const url = closed.url;
    await closed.close();
    const unreachable = createGitHubClient({ token: TOKEN, baseUrl: url, caller });

    const error = await rejection(unreachable.getPullRequest({ ...repo, pullNumber: 7 }));
    expect(error).toBeInstanceOf(OutsideServiceUnavailableError);
    expect(error).toMatchObject({ reason: "network" });
  });
});
