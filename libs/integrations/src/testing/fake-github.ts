// This fake follows GitHub's documented REST wire format (docs.github.com/rest: pulls, issues, issue comments,
// check runs; `Link` pagination; `x-ratelimit-*` headers; `{ message, documentation_url }` errors). It is
// written from the documentation, not from recorded traffic.
import {
  headerValue,
  startLoopbackServer,
  type LoopbackReply,
  type LoopbackRequest,
  type LoopbackServer,
} from "./loopback-server";

export interface FakePullRequestFile {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";
  additions: number;
  deletions: number;
  patch?: string;
  previous_filename?: string;
}

export interface FakeCommit {
  sha: string;
  message: string;
  /** The GitHub account the commit is attributed to; null when its email matches none. */
  author: { login: string } | null;
  /** The git author date (ISO 8601); default 2024-01-01T00:00:00Z. */
  date?: string;
}

export interface FakePullRequest {
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  draft: boolean;
  merged: boolean;
  user: { login: string };
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  files: FakePullRequestFile[];
  commits: FakeCommit[];
}

export interface FakeIssueComment {
  id: number;
  body: string;
  user: { login: string; type: "User" | "Bot" };
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  details_url: string | null;
  external_id: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
}

export interface FakeGitHub extends LoopbackServer {
  /** Seed a pull request in `owner/repo`. */
  addPullRequest(
    owner: string,
    repo: string,
    pull: Omit<FakePullRequest, "files" | "commits"> & { files?: FakePullRequestFile[]; commits?: FakeCommit[] },
  ): void;
  /** Seed a file of `owner/repo` at `ref` (a branch name; default "main"), served by GET contents/:path. */
  addFile(owner: string, repo: string, path: string, text: string, ref?: string): void;
  /** Seed a comment on an issue or pull request. */
  addComment(owner: string, repo: string, issueNumber: number, comment: Omit<FakeIssueComment, "id">): FakeIssueComment;
  comments(owner: string, repo: string, issueNumber: number): FakeIssueComment[];
  issues(owner: string, repo: string): { number: number; title: string; body: string | null; labels: string[] }[];
  checkRuns(owner: string, repo: string): FakeCheckRun[];
  /** From now on answer like an exhausted primary rate limit: 403, `x-ratelimit-remaining: 0`, reset at `resetEpochSeconds`. */
  exhaustRateLimit(resetEpochSeconds: number): void;
  /**
   * The next `method` request whose path matches `path` is carried out, but answered 502 as if the
   * answer were lost on the way: the client sees a failure for a write that happened.
   */
  loseNextAnswer(method: string, path: RegExp): void;
}

const DOCS = "https://docs.github.com/rest";
const RATE_LIMIT = 5_000;

/** A GitHub REST API on loopback; give its `url` to Octokit as `baseUrl`. Accepts only `token`. */
export async function startFakeGitHub({ token }: { token: string }): Promise<FakeGitHub> {
  const pulls = new Map<string, FakePullRequest>();
  const comments = new Map<string, FakeIssueComment[]>();
  const issues = new Map<string, { number: number; title: string; body: string | null; labels: string[] }[]>();
  const checkRuns = new Map<string, FakeCheckRun[]>();
  const files = new Map<string, string>();
  let nextId = 1_000;
  let used = 0;
  let exhaustedUntil: number | undefined;

  const rateHeaders = (remaining: number, reset: number): Record<string, string> => ({
    "x-ratelimit-limit": String(RATE_LIMIT),
    "x-ratelimit-remaining": String(remaining),
    "x-ratelimit-used": String(RATE_LIMIT - remaining),
    "x-ratelimit-reset": String(reset),
    "x-ratelimit-resource": "core",
  });

  const handle = (request: LoopbackRequest): LoopbackReply => {
    const auth = headerValue(request.headers, "authorization");
    if (auth !== `token ${token}` && auth !== `Bearer ${token}`) {
      return { status: 401, body: { message: "Bad credentials", documentation_url: DOCS, status: "401" } };
    }
    const reset = Math.floor(Date.now() / 1000) + 3_600;
    if (exhaustedUntil !== undefined) {
      return {
        status: 403,
        headers: rateHeaders(0, exhaustedUntil),
        body: { message: "API rate limit exceeded for installation ID 1.", documentation_url: DOCS },
      };
    }
    used += 1;
    const reply = route(request);
    return { ...reply, headers: { ...rateHeaders(RATE_LIMIT - used, reset), ...reply.headers } };
  };

  const route = (request: LoopbackRequest): LoopbackReply => {
    const { method, path } = request;
    const body = (request.body ?? {}) as Record<string, unknown>;
    let m: RegExpMatchArray | null;

    if ((m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/)) && method === "GET") {
      const pull = pulls.get(`${m[1]}/${m[2]}#${m[3]}`);
      return pull ? { status: 200, body: pullJson(m[1]!, m[2]!, pull) } : notFound();
    }
    if ((m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/files$/)) && method === "GET") {
      const pull = pulls.get(`${m[1]}/${m[2]}#${m[3]}`);
      if (!pull) return notFound();
      const files = pull.files.map((f) => ({ sha: "0".repeat(40), changes: f.additions + f.deletions, ...f }));
      return paginate(request, files);
    }
    if ((m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/commits$/)) && method === "GET") {
      const pull = pulls.get(`${m[1]}/${m[2]}#${m[3]}`);
      if (!pull) return notFound();
      // GET /repos/{owner}/{repo}/pulls/{pull_number}/commits: commit objects, oldest first, at most 250.
      const commits = pull.commits.slice(0, 250).map((c) => ({
        sha: c.sha,
        commit: {
          message: c.message,
          author: {
            name: c.author?.login ?? "someone",
            email: "someone@example.com",
            date: c.date ?? "2024-01-01T00:00:00Z",
          },
        },
        author: c.author ? { login: c.author.login, type: "User" } : null,
        html_url: `https://github.example/${m![1]}/${m![2]}/commit/${c.sha}`,
      }));
      return paginate(request, commits);
    }
    if ((m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/)) && method === "GET") {
      // GET /repos/{owner}/{repo}/contents/{path}?ref=: a file's content object, base64 in lines of 60.
      const filePath = decodeURIComponent(m[3]!);
      const ref = request.query.get("ref") ?? "main";
      const text = files.get(`${m[1]}/${m[2]}@${ref}:${filePath}`);
      if (text === undefined) return notFound();
      const content = Buffer.from(text, "utf8").toString("base64");
      return {
        status: 200,
        body: {
          type: "file",
          encoding: "base64",
          size: Buffer.byteLength(text),
          name: filePath.split("/").at(-1),
          path: filePath,
          content: content.replace(/.{60}/g, "$&\n"),
          sha: "0".repeat(40),
          html_url: `https://github.example/${m[1]}/${m[2]}/blob/${ref}/${filePath}`,
        },
      };
    }
    if ((m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/issues$/)) && method === "POST") {
      if (typeof body.title !== "string" || body.title === "") return validationFailed("title");
      const list = listFor(issues, `${m[1]}/${m[2]}`);
      const issue = {
        number: list.length + 1,
        title: body.title,
        body: (body.body as string | undefined) ?? null,
        labels: (body.labels as string[] | undefined) ?? [],
      };
      list.push(issue);
      return {
        status: 201,
        body: {
          id: nextId++,
          number: issue.number,
          title: issue.title,
          body: issue.body,
          state: "open",
          labels: issue.labels.map((name) => ({ name })),
          html_url: `https://github.example/${m[1]}/${m[2]}/issues/${issue.number}`,
        },
      };
    }
    if ((m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/))) {
      const list = listFor(comments, `${m[1]}/${m[2]}#${m[3]}`);
      if (method === "GET")
        return paginate(
          request,
          list.map((c) => commentJson(m![1]!, m![2]!, Number(m![3]), c)),
        );
      if (method === "POST") {
        if (typeof body.body !== "string") return validationFailed("body");
        const comment: FakeIssueComment = {
          id: nextId++,
          body: body.body,
          user: { login: "devflow[bot]", type: "Bot" },
        };
        list.push(comment);
        return { status: 201, body: commentJson(m[1]!, m[2]!, Number(m[3]), comment) };
      }
    }
    if ((m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/)) && method === "PATCH") {
      for (const [key, list] of comments) {
        const comment = list.find((c) => c.id === Number(m![3]));
        if (comment && key.startsWith(`${m[1]}/${m[2]}#`)) {
          if (typeof body.body !== "string") return validationFailed("body");
          comment.body = body.body;
          return { status: 200, body: commentJson(m[1]!, m[2]!, Number(key.split("#")[1]), comment) };
        }
      }
      return notFound();
    }
    if ((m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/check-runs$/)) && method === "POST") {
      if (typeof body.name !== "string" || typeof body.head_sha !== "string") return validationFailed("name");
      const output = (body.output ?? {}) as Record<string, string | undefined>;
      const run: FakeCheckRun = {
        id: nextId++,
        name: body.name,
        head_sha: body.head_sha,
        status: (body.status as string | undefined) ?? "queued",
        conclusion: (body.conclusion as string | undefined) ?? null,
        details_url: (body.details_url as string | undefined) ?? null,
        external_id: (body.external_id as string | undefined) ?? null,
        output: { title: output.title ?? null, summary: output.summary ?? null, text: output.text ?? null },
      };
      if (run.conclusion !== null) run.status = "completed";
      listFor(checkRuns, `${m[1]}/${m[2]}`).push(run);
      return { status: 201, body: checkRunJson(m[1]!, m[2]!, run) };
    }
    if ((m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/check-runs$/)) && method === "GET") {
      // GET /repos/{owner}/{repo}/commits/{ref}/check-runs: the ref's runs, `check_name` filtering by name.
      const name = request.query.get("check_name");
      const runs = listFor(checkRuns, `${m[1]}/${m[2]}`).filter(
        (r) => r.head_sha === m![3] && (name === null || r.name === name),
      );
      return {
        status: 200,
        body: { total_count: runs.length, check_runs: runs.map((r) => checkRunJson(m![1]!, m![2]!, r)) },
      };
    }
    if ((m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/check-runs\/(\d+)$/)) && method === "PATCH") {
      const run = listFor(checkRuns, `${m[1]}/${m[2]}`).find((r) => r.id === Number(m![3]));
      if (!run) return notFound();
      if (typeof body.status === "string") run.status = body.status;
      if (typeof body.conclusion === "string") {
        run.conclusion = body.conclusion;
        run.status = "completed";
      }
      if (typeof body.details_url === "string") run.details_url = body.details_url;
      if (body.output) {
        const output = body.output as Record<string, string | undefined>;
        run.output = { title: output.title ?? null, summary: output.summary ?? null, text: output.text ?? null };
      }
      return { status: 200, body: checkRunJson(m[1]!, m[2]!, run) };
    }
    return notFound();
  };

  let lostAnswer: { method: string; path: RegExp } | undefined;
  const server = await startLoopbackServer((request) => {
    const reply = handle(request);
    if (lostAnswer && request.method === lostAnswer.method && lostAnswer.path.test(request.path)) {
      lostAnswer = undefined;
      return { status: 502, body: { message: "Server Error" } };
    }
    return reply;
  });
  return Object.assign(server, {
    addPullRequest(
      owner: string,
      repo: string,
      pull: Omit<FakePullRequest, "files" | "commits"> & { files?: FakePullRequestFile[]; commits?: FakeCommit[] },
    ) {
      pulls.set(`${owner}/${repo}#${pull.number}`, { ...pull, files: pull.files ?? [], commits: pull.commits ?? [] });
    },
    addFile(owner: string, repo: string, path: string, text: string, ref = "main") {
      files.set(`${owner}/${repo}@${ref}:${path}`, text);
    },
    addComment(owner: string, repo: string, issueNumber: number, comment: Omit<FakeIssueComment, "id">) {
      const stored = { id: nextId++, ...comment };
      listFor(comments, `${owner}/${repo}#${issueNumber}`).push(stored);
      return stored;
    },
    comments: (owner: string, repo: string, issueNumber: number) =>
      listFor(comments, `${owner}/${repo}#${issueNumber}`),
    issues: (owner: string, repo: string) => listFor(issues, `${owner}/${repo}`),
    checkRuns: (owner: string, repo: string) => listFor(checkRuns, `${owner}/${repo}`),
    exhaustRateLimit(resetEpochSeconds: number) {
      exhaustedUntil = resetEpochSeconds;
    },
    loseNextAnswer(method: string, path: RegExp) {
      lostAnswer = { method, path };
    },
  });
}

function listFor<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

/** `per_page` (default 30, max 100) and `page`, with a `Link` header naming next/last as GitHub does. */
function paginate(request: LoopbackRequest, items: unknown[]): LoopbackReply {
  const perPage = Math.min(Number(request.query.get("per_page") ?? 30), 100);
  const page = Number(request.query.get("page") ?? 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (p: number, rel: string) => {
    const query = new URLSearchParams(request.query);
    query.set("page", String(p));
    query.set("per_page", String(perPage));
    return `<${headerValue(request.headers, "host") ? `http://${headerValue(request.headers, "host")}` : ""}${request.path}?${query}>; rel="${rel}"`;
  };
  const links = [];
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  if (page > 1) links.push(link(1, "first"), link(page - 1, "prev"));
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(", ") } : {},
  };
}

function notFound(): LoopbackReply {
  return { status: 404, body: { message: "Not Found", documentation_url: DOCS, status: "404" } };
}

function validationFailed(field: string): LoopbackReply {
  return {
    status: 422,
    body: {
      message: "Validation Failed",
      errors: [{ resource: "Issue", code: "missing_field", field }],
      documentation_url: DOCS,
    },
  };
}

function pullJson(owner: string, repo: string, pull: FakePullRequest) {
  const additions = pull.files.reduce((sum, f) => sum + f.additions, 0);
  const deletions = pull.files.reduce((sum, f) => sum + f.deletions, 0);
  return {
    id: 50_000 + pull.number,
    number: pull.number,
    title: pull.title,
    body: pull.body,
    state: pull.state,
    draft: pull.draft,
    merged: pull.merged,
    user: { login: pull.user.login, type: "User" },
    head: { ref: pull.head.ref, sha: pull.head.sha, repo: { full_name: `${owner}/${repo}` } },
    base: { ref: pull.base.ref, sha: pull.base.sha, repo: { full_name: `${owner}/${repo}` } },
    html_url: `https://github.example/${owner}/${repo}/pull/${pull.number}`,
    additions,
    deletions,
    changed_files: pull.files.length,
  };
}

function commentJson(owner: string, repo: string, issueNumber: number, comment: FakeIssueComment) {
  return {
    id: comment.id,
    body: comment.body,
    user: comment.user,
    html_url: `https://github.example/${owner}/${repo}/issues/${issueNumber}#issuecomment-${comment.id}`,
  };
}

function checkRunJson(owner: string, repo: string, run: FakeCheckRun) {
  return { ...run, html_url: `https://github.example/${owner}/${repo}/runs/${run.id}` };
}
