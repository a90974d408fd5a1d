// This fake follows Linear's documented GraphQL wire format (linear.app/developers: POST /graphql with JSON
// `{ query, variables }`, `Authorization: <API key>`, `issueCreate(input: IssueCreateInput!)` returning
// `IssuePayload { success, issue }`, errors as `{ errors: [{ message, extensions }] }`). It is written from the
// documentation, not from recorded traffic. The rate-limit reply (HTTP 400, `extensions.code: "RATELIMITED"`,
// `X-RateLimit-Requests-*` headers with the reset in epoch milliseconds) is our reading of Linear's
// rate-limiting page; the client also accepts the SDK's `ratelimited` type and a plain HTTP 429.
import {
  headerValue,
  startLoopbackServer,
  type LoopbackReply,
  type LoopbackRequest,
  type LoopbackServer,
} from "./loopback-server";

export interface FakeLinearIssue {
  id: string;
  identifier: string;
  url: string;
  teamId: string;
  title: string;
  description: string | undefined;
  labelIds: string[];
}

export interface FakeLinear extends LoopbackServer {
  /** The GraphQL endpoint to give the SDK as `apiUrl`. */
  apiUrl: string;
  issues: FakeLinearIssue[];
  /** Answer the next request as rate limited, with the request budget resetting `resetInMs` from now. */
  rateLimitNext(resetInMs: number): void;
}

export interface FakeLinearOptions {
  apiKey: string;
  /** Team ids that exist, each with its issue key prefix (e.g. `{ "team-1": "ENG" }`). */
  teams: Record<string, string>;
}

/** A Linear GraphQL API on loopback that understands the `issueCreate` mutation. */
export async function startFakeLinear({ apiKey, teams }: FakeLinearOptions): Promise<FakeLinear> {
  const issues: FakeLinearIssue[] = [];
  let rateLimitResetInMs: number | undefined;

  const handle = (request: LoopbackRequest): LoopbackReply => {
    if (request.method !== "POST" || request.path !== "/graphql") return { status: 404, body: "Not Found" };
    if (rateLimitResetInMs !== undefined) {
      const reset = Date.now() + rateLimitResetInMs;
      rateLimitResetInMs = undefined;
      return {
        status: 400,
        headers: {
          "x-ratelimit-requests-limit": "1500",
          "x-ratelimit-requests-remaining": "0",
          "x-ratelimit-requests-reset": String(reset),
        },
        body: { errors: [{ message: "Rate limit exceeded", extensions: { code: "RATELIMITED" } }] },
      };
    }
    if (headerValue(request.headers, "authorization") !== apiKey) {
      return graphqlError(
        400,
        "Authentication required, not authenticated",
        "authentication error",
        "AUTHENTICATION_ERROR",
      );
    }
    const { query, variables } = (request.body ?? {}) as {
      query?: string;
      variables?: { input?: Record<string, unknown> };
    };
    if (typeof query !== "string" || !/\bissueCreate\s*\(/.test(query)) {
      return graphqlError(400, "Unknown operation", "graphql error", "GRAPHQL_VALIDATION_FAILED");
    }
    const input = variables?.input ?? {};
    const prefix = typeof input.teamId === "string" ? teams[input.teamId] : undefined;
    if (!prefix) return graphqlError(200, "Entity not found: Team", "invalid input", "INPUT_ERROR", { data: null });
    if (typeof input.title !== "string" || input.title === "") {
      return graphqlError(200, "Argument Validation Error", "invalid input", "INPUT_ERROR", { data: null });
    }
    const number = issues.filter((i) => i.teamId === input.teamId).length + 1;
    const identifier = `${prefix}-${number}`;
    const issue: FakeLinearIssue = {
      id: `00000000-0000-4000-8000-${String(issues.length + 1).padStart(12, "0")}`,
      identifier,
      url: `https://linear.example/acme/issue/${identifier}`,
      teamId: input.teamId as string,
      title: input.title,
      description: input.description as string | undefined,
      labelIds: (input.labelIds as string[] | undefined) ?? [],
    };
    issues.push(issue);
    return {
      status: 200,
      body: {
        data: { issueCreate: { success: true, issue: { id: issue.id, identifier: issue.identifier, url: issue.url } } },
      },
    };
  };

  const server = await startLoopbackServer(handle);
  return Object.assign(server, {
    apiUrl: `${server.url}/graphql`,
    issues,
    rateLimitNext(resetInMs: number) {
      rateLimitResetInMs = resetInMs;
    },
  });
}

function graphqlError(
  status: number,
  message: string,
  type: string,
  code: string,
  extra: Record<string, unknown> = {},
): LoopbackReply {
  return {
    status,
    body: { errors: [{ message, extensions: { type, code, userPresentableMessage: message } }], ...extra },
  };
}
