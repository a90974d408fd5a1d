// This fake follows Jira Cloud's documented REST v3 wire format (developer.atlassian.com, "Issues: Create issue":
// POST /rest/api/3/issue with `{ fields }`, basic auth with email and API token, 201 `{ id, key, self }`, 400
// `{ errorMessages, errors }`, 429 with `Retry-After`). It is written from the documentation, not from recordings.
import {
  headerValue,
  startLoopbackServer,
  type LoopbackReply,
  type LoopbackRequest,
  type LoopbackServer,
} from "./loopback-server";

export interface FakeJiraIssue {
  id: string;
  key: string;
  fields: Record<string, unknown>;
}

export interface FakeJira extends LoopbackServer {
  issues: FakeJiraIssue[];
  /** Answer the next request with 429 and `Retry-After: <seconds>`. */
  rateLimitNext(retryAfterSeconds: number): void;
}

export interface FakeJiraOptions {
  email: string;
  apiToken: string;
  /** Project keys that exist, each with the issue type names it accepts. */
  projects: Record<string, string[]>;
}

/** A Jira Cloud site on loopback; give its `url` to the client as `host`. */
export async function startFakeJira({ email, apiToken, projects }: FakeJiraOptions): Promise<FakeJira> {
  const issues: FakeJiraIssue[] = [];
  const counters = new Map<string, number>();
  let rateLimited: number | undefined;
  const expectedAuth = `Basic ${Buffer.from(`${email}:${apiToken}`).toString("base64")}`;

  const handle = (request: LoopbackRequest): LoopbackReply => {
    if (rateLimited !== undefined) {
      const seconds = rateLimited;
      rateLimited = undefined;
      return {
        status: 429,
        headers: { "retry-after": String(seconds) },
        body: { errorMessages: ["Rate limit exceeded."], errors: {} },
      };
    }
    if (headerValue(request.headers, "authorization") !== expectedAuth) {
      return {
        status: 401,
        body: {
          errorMessages: ["You are not authenticated. Authentication required to perform this operation."],
          errors: {},
        },
      };
    }
    if (request.method !== "POST" || request.path !== "/rest/api/3/issue") {
      return { status: 404, body: { errorMessages: ["Not found"], errors: {} } };
    }
    const fields = ((request.body ?? {}) as { fields?: Record<string, unknown> }).fields ?? {};
    const errors: Record<string, string> = {};
    const projectKey = (fields.project as { key?: string } | undefined)?.key;
    const issueTypes = projectKey ? projects[projectKey] : undefined;
    if (!issueTypes) errors.project = "valid project is required";
    else if (!issueTypes.includes((fields.issuetype as { name?: string } | undefined)?.name ?? "")) {
      errors.issuetype = "Specify a valid issue type";
    }
    if (typeof fields.summary !== "string" || fields.summary.trim() === "")
      errors.summary = "You must specify a summary of the issue.";
    if (fields.description !== undefined && !isAdfDocument(fields.description)) {
      errors.description = "Operation value must be an Atlassian Document (see the Atlassian Document Format)";
    }
    if (
      fields.labels !== undefined &&
      (!Array.isArray(fields.labels) || fields.labels.some((l) => typeof l !== "string" || /\s/.test(l)))
    ) {
      errors.labels = "Labels must be strings without spaces";
    }
    if (Object.keys(errors).length > 0) return { status: 400, body: { errorMessages: [], errors } };

    const number = (counters.get(projectKey!) ?? 0) + 1;
    counters.set(projectKey!, number);
    const id = String(10_000 + issues.length);
    const issue = { id, key: `${projectKey}-${number}`, fields };
    issues.push(issue);
    const host = headerValue(request.headers, "host");
    return { status: 201, body: { id, key: issue.key, self: `http://${host}/rest/api/3/issue/${id}` } };
  };

  const server = await startLoopbackServer(handle);
  return Object.assign(server, {
    issues,
    rateLimitNext(retryAfterSeconds: number) {
      rateLimited = retryAfterSeconds;
    },
  });
}

/** The top of an ADF document: `{ type: "doc", version: 1, content: [...] }`. */
function isAdfDocument(value: unknown): boolean {
  const doc = value as { type?: unknown; version?: unknown; content?: unknown } | null;
  return (
    doc !== null && typeof doc === "object" && doc.type === "doc" && doc.version === 1 && Array.isArray(doc.content)
  );
}
