import type { AppError } from "@devflow/util-core";
import { Octokit } from "@octokit/rest";
import {
  DEFAULT_RETRY_AFTER_SECONDS,
  errorForHttpFailure,
  isAbortError,
  OutsideServiceUnavailableError,
  parseRetryAfter,
  RateLimitedError,
  secondsUntilEpoch,
} from "./errors";
import type { ResilientCaller } from "./resilience";

export interface GitHubClientOptions {
  /** An installation access token (GitHub App) or a personal access token. */
  token: string;
  /** The REST API root: GitHub Enterprise Server's `https://<host>/api/v3`, or a loopback fake in tests. Defaults to github.com's. */
  baseUrl?: string;
  /** The caller for this installation's breaker (`breakerKey("github", installationId)`). */
  caller: ResilientCaller;
}

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface PullRequest {
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  isDraft: boolean;
  isMerged: boolean;
  author: string | null;
  headRef: string;
  headSha: string;
  baseRef: string;
  url: string;
  additions: number;
  deletions: number;
  changedFiles: number;
}

export interface PullRequestFile {
  filename: string;
  status: string;
  additions: number;
  deletions: number;
  /** The unified diff hunk; GitHub omits it for binary and very large files. */
  patch: string | null;
  previousFilename: string | null;
}

export interface PullRequestCommit {
  sha: string;
  /** The GitHub account the commit is attributed to; null when its email matches none. */
  author: string | null;
  message: string;
  /** When the commit was written (its git author date), ISO 8601; null when GitHub does not say. */
  authoredAt: string | null;
}

export type CheckRunStatus = "queued" | "in_progress" | "completed";
export type CheckRunConclusion =
  "success" | "failure" | "neutral" | "cancelled" | "skipped" | "timed_out" | "action_required";

export interface CheckRunOutput {
  title: string;
  /** Markdown, up to 65,535 characters. */
  summary: string;
  text?: string;
}

export interface CheckRun {
  id: number;
  url: string | null;
  status: string;
  conclusion: string | null;
}

export interface GitHubClient {
  getPullRequest(ref: RepoRef & { pullNumber: number }): Promise<PullRequest>;
  /** Every file of the pull request, one request per page of 100 (GitHub lists at most 3,000). */
  listPullRequestFiles(ref: RepoRef & { pullNumber: number; maxFiles?: number }): Promise<PullRequestFile[]>;
  /** The pull request's commits, oldest first (GitHub lists at most 250). */
  listPullRequestCommits(ref: RepoRef & { pullNumber: number }): Promise<PullRequestCommit[]>;
  /**
   * A file's text at `ref` (GET repos/:owner/:repo/contents/:path), decoded from GitHub's base64;
   * null when there is no such file (404), or the path is a directory.
   */
  getFileText(input: RepoRef & { path: string; ref?: string }): Promise<string | null>;
  createIssue(
    input: RepoRef & { title: string; body: string; labels?: string[] },
  ): Promise<{ number: number; url: string }>;
  /**
   * The "sticky comment": finds the comment on the issue or pull request that carries `marker` and rewrites
   * it, or creates it when there is none, so re-running an analysis edits one comment instead of adding another.
   */
  createOrUpdateIssueComment(
    input: RepoRef & { issueNumber: number; marker: string; body: string },
  ): Promise<{ id: number; url: string; created: boolean }>;
  /** Rewrites one comment by id (PATCH issues/comments/:id); a deleted comment is a not_found. */
  updateIssueComment(input: RepoRef & { commentId: number; body: string }): Promise<{ id: number; url: string }>;
  createCheckRun(
    input: RepoRef & {
      name: string;
      headSha: string;
      status?: CheckRunStatus;
      conclusion?: CheckRunConclusion;
      detailsUrl?: string;
      externalId?: string;
      output?: CheckRunOutput;
    },
  ): Promise<CheckRun>;
  updateCheckRun(
    input: RepoRef & {
      checkRunId: number;
      status?: CheckRunStatus;
      conclusion?: CheckRunConclusion;
      detailsUrl?: string;
      output?: CheckRunOutput;
    },
  ): Promise<CheckRun>;
  /**
   * The check run named `name` on `headSha` that carries `externalId` (GET commits/:ref/check-runs),
   * or null: how a retried step finds the run an earlier attempt created but did not record.
   */
  findCheckRun(input: RepoRef & { headSha: string; name: string; externalId: string }): Promise<CheckRun | null>;
}

const PAGE_SIZE = 100;
/** GitHub caps pull request files at 3,000 (30 pages); stop well past that rather than loop on a bad `Link`. */
const MAX_PAGES = 50;
const SERVICE = "github";
const noop = () => {};

/**
 * A GitHub REST client on `@octokit/rest`. `@octokit/rest` has no retry or throttling plugin, so every
 * request is sent once, through `caller`, with the caller's AbortSignal passed as `request.signal`.
 */
export function createGitHubClient({ token, baseUrl, caller }: GitHubClientOptions): GitHubClient {
  const octokit = new Octokit({
    auth: token,
    ...(baseUrl && { baseUrl }),
    // Octokit's request-log plugin writes every failure to console.error; the caller reports them instead.
    log: { debug: noop, info: noop, warn: noop, error: noop },
  });

  const send = <T>(operation: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    caller.call(operation, async (signal) => {
      try {
        return await fn(signal);
      } catch (error) {
        throw toGitHubError(error);
      }
    });

  async function listAllPages<T>(
    operation: string,
    fetchPage: (page: number, signal: AbortSignal) => Promise<{ data: T[]; headers: { link?: string } }>,
    maxItems = Infinity,
  ): Promise<T[]> {
    const items: T[] = [];
    for (let page = 1; page <= MAX_PAGES && items.length < maxItems; page++) {
      const response = await send(operation, (signal) => fetchPage(page, signal));
      items.push(...response.data);
      if (!/rel="next"/.test(response.headers.link ?? "")) break;
    }
    return items.slice(0, maxItems);
  }

  return {
    async getPullRequest({ owner, repo, pullNumber }) {
      const { data } = await send("pulls.get", (signal) =>
        octokit.rest.pulls.get({ owner, repo, pull_number: pullNumber, request: { signal } }),
      );
      return {
        number: data.number,
        title: data.title,
        body: data.body,
        state: data.state as PullRequest["state"],
        isDraft: data.draft ?? false,
        isMerged: data.merged,
        author: data.user?.login ?? null,
        headRef: data.head.ref,
        headSha: data.head.sha,
        baseRef: data.base.ref,
        url: data.html_url,
        additions: data.additions,
        deletions: data.deletions,
        changedFiles: data.changed_files,
      };
    },

    async listPullRequestFiles({ owner, repo, pullNumber, maxFiles }) {
      const files = await listAllPages(
        "pulls.listFiles",
        (page, signal) =>
          octokit.rest.pulls.listFiles({
            owner,
            repo,
            pull_number: pullNumber,
            per_page: PAGE_SIZE,
            page,
            request: { signal },
          }),
        maxFiles,
      );
      return files.map((file) => ({
        filename: file.filename,
        status: file.status,
        additions: file.additions,
        deletions: file.deletions,
        patch: file.patch ?? null,
        previousFilename: file.previous_filename ?? null,
      }));
    },

    async listPullRequestCommits({ owner, repo, pullNumber }) {
      const commits = await listAllPages("pulls.listCommits", (page, signal) =>
        octokit.rest.pulls.listCommits({
          owner,
          repo,
          pull_number: pullNumber,
          per_page: PAGE_SIZE,
          page,
          request: { signal },
        }),
      );
      return commits.map((commit) => ({
        sha: commit.sha,
        author: commit.author?.login ?? null,
        message: commit.commit.message,
        authoredAt: commit.commit.author?.date ?? null,
      }));
    },

    async getFileText({ owner, repo, path, ref }) {
      try {
        const { data } = await send("repos.getContent", (signal) =>
          octokit.rest.repos.getContent({ owner, repo, path, ...(ref && { ref }), request: { signal } }),
        );
        if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return null;
        return Buffer.from(data.content, (data.encoding as BufferEncoding | undefined) ?? "base64").toString("utf8");
      } catch (error) {
        if ((error as AppError).code === "not_found") return null;
        throw error;
      }
    },

    async updateIssueComment({ owner, repo, commentId, body }) {
      const { data } = await send("issues.updateComment", (signal) =>
        octokit.rest.issues.updateComment({ owner, repo, comment_id: commentId, body, request: { signal } }),
      );
      return { id: data.id, url: data.html_url };
    },

    async createIssue({ owner, repo, title, body, labels }) {
      const { data } = await send("issues.create", (signal) =>
        octokit.rest.issues.create({ owner, repo, title, body, ...(labels && { labels }), request: { signal } }),
      );
      return { number: data.number, url: data.html_url };
    },

    async createOrUpdateIssueComment({ owner, repo, issueNumber, marker, body }) {
      const tag = markerComment(marker);
      const text = body.includes(tag) ? body : `${body}\n\n${tag}`;
      const comments = await listAllPages("issues.listComments", (page, signal) =>
        octokit.rest.issues.listComments({
          owner,
          repo,
          issue_number: issueNumber,
          per_page: PAGE_SIZE,
          page,
          request: { signal },
        }),
      );
      const existing = comments.find((comment) => comment.body?.includes(tag));
      if (existing) {
        const { data } = await send("issues.updateComment", (signal) =>
          octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body: text, request: { signal } }),
        );
        return { id: data.id, url: data.html_url, created: false };
      }
      const { data } = await send("issues.createComment", (signal) =>
        octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body: text, request: { signal } }),
      );
      return { id: data.id, url: data.html_url, created: true };
    },

    async createCheckRun({ owner, repo, name, headSha, status, conclusion, detailsUrl, externalId, output }) {
      const { data } = await send("checks.create", (signal) =>
        octokit.rest.checks.create({
          owner,
          repo,
          name,
          head_sha: headSha,
          ...(status && { status }),
          ...(conclusion && { conclusion }),
          ...(detailsUrl && { details_url: detailsUrl }),
          ...(externalId && { external_id: externalId }),
          ...(output && { output }),
          request: { signal },
        }),
      );
      return { id: data.id, url: data.html_url, status: data.status, conclusion: data.conclusion };
    },

    async findCheckRun({ owner, repo, headSha, name, externalId }) {
      const { data } = await send("checks.listForRef", (signal) =>
        octokit.rest.checks.listForRef({
          owner,
          repo,
          ref: headSha,
          check_name: name,
          filter: "all",
          per_page: PAGE_SIZE,
          request: { signal },
        }),
      );
      const found = data.check_runs.find((run) => run.external_id === externalId);
      return found ? { id: found.id, url: found.html_url, status: found.status, conclusion: found.conclusion } : null;
    },

    async updateCheckRun({ owner, repo, checkRunId, status, conclusion, detailsUrl, output }) {
      const { data } = await send("checks.update", (signal) =>
        octokit.rest.checks.update({
          owner,
          repo,
          check_run_id: checkRunId,
          ...(status && { status }),
          ...(conclusion && { conclusion }),
          ...(detailsUrl && { details_url: detailsUrl }),
          ...(output && { output }),
          request: { signal },
        }),
      );
      return { id: data.id, url: data.html_url, status: data.status, conclusion: data.conclusion };
    },
  };
}

/** An HTML comment: invisible in the rendered comment, findable in its source. */
function markerComment(marker: string): string {
  return `<!-- ${marker.replace(/--/g, "")} -->`;
}

/** The shape of Octokit's RequestError (`@octokit/request-error`), matched structurally. */
interface OctokitRequestError {
  name: "HttpError";
  status: number;
  message: string;
  response?: { headers: Record<string, string | undefined>; data: unknown };
}

function isOctokitRequestError(error: unknown): error is OctokitRequestError {
  return (
    error instanceof Error && error.name === "HttpError" && typeof (error as { status?: unknown }).status === "number"
  );
}

/**
 * Maps an Octokit failure to the typed errors. GitHub signals rate limits three ways (docs: "Rate limits for
 * the REST API"): 429 or 403 with `retry-after`; 403/429 with `x-ratelimit-remaining: 0` and the reset time
 * in `x-ratelimit-reset` (epoch seconds); and secondary limits that may carry neither (wait a minute).
 */
function toGitHubError(error: unknown): AppError {
  if (isAbortError(error))
    return new OutsideServiceUnavailableError(SERVICE, "timeout", "request aborted by the timeout");
  if (!isOctokitRequestError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return new OutsideServiceUnavailableError(SERVICE, "network", message);
  }
  // Octokit reports "could not connect" as a RequestError with status 500 and no response.
  if (!error.response) return new OutsideServiceUnavailableError(SERVICE, "network", error.message);

  const { status } = error;
  const headers = error.response.headers;
  const message = githubMessage(error.response.data) ?? error.message;
  if (status === 403 || status === 429) {
    const retryAfter = parseRetryAfter(headers["retry-after"]);
    if (retryAfter !== undefined) return new RateLimitedError(SERVICE, retryAfter, message);
    if (headers["x-ratelimit-remaining"] === "0") {
      return new RateLimitedError(
        SERVICE,
        secondsUntilEpoch(headers["x-ratelimit-reset"]) ?? DEFAULT_RETRY_AFTER_SECONDS,
        message,
      );
    }
    if (status === 429 || /secondary rate limit/i.test(message)) {
      return new RateLimitedError(SERVICE, DEFAULT_RETRY_AFTER_SECONDS, message);
    }
  }
  return errorForHttpFailure({ service: SERVICE, status, message });
}

/** GitHub's `{ message, errors: [{ field, code }] }`, flattened for an error message. */
function githubMessage(data: unknown): string | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const { message, errors } = data as { message?: unknown; errors?: unknown };
  if (typeof message !== "string") return undefined;
  if (!Array.isArray(errors) || errors.length === 0) return message;
  const details = errors.map((e: unknown) => (typeof e === "string" ? e : JSON.stringify(e))).join("; ");
  return `${message}: ${details}`;
}
