import type { AppError } from "@devflow/util-core";
import { LinearClient, LinearError, LinearErrorType, RatelimitedLinearError } from "@linear/sdk";
import {
  DEFAULT_RETRY_AFTER_SECONDS,
  errorForHttpFailure,
  isAbortError,
  OutsideServiceRejectedError,
  OutsideServiceUnavailableError,
  parseRetryAfter,
  RateLimitedError,
  secondsUntilEpoch,
} from "./errors";
import type { ResilientCaller } from "./resilience";

export interface LinearClientOptions {
  /** A Linear API key (sent as the raw `Authorization` header, as Linear documents for keys). */
  apiKey: string;
  /** The caller for this organization's breaker (`breakerKey("linear", organizationId)`). */
  caller: ResilientCaller;
  /** The GraphQL endpoint. The SDK accepts plain http only for localhost, 127.0.0.1 and [::1]. Defaults to Linear's. */
  apiUrl?: string;
}

export interface CreateLinearIssueInput {
  teamId: string;
  title: string;
  /** Markdown. */
  description: string;
  labelIds?: string[];
}

export interface LinearIssuesClient {
  createIssue(input: CreateLinearIssueInput): Promise<{ identifier: string; url: string }>;
}

const SERVICE = "linear";

/*
 * Our own selection, sent with the SDK's GraphQL client: the SDK's `createIssue()` returns a payload whose
 * `issue` is a lazy getter that costs a second request just to read the identifier and URL.
 */
const ISSUE_CREATE = `mutation IssueCreate($input: IssueCreateInput!) {
  issueCreate(input: $input) {
    success
    issue { id identifier url }
  }
}`;

interface IssueCreateData {
  issueCreate: { success: boolean; issue: { id: string; identifier: string; url: string } | null };
}

/**
 * A Linear client on `@linear/sdk`. `LinearClient` takes `apiUrl` and spreads its other options (RequestInit)
 * into every fetch, so a client is built per call with the caller's `signal`; the SDK does not retry.
 */
export function createLinearClient({ apiKey, caller, apiUrl }: LinearClientOptions): LinearIssuesClient {
  const linear = (signal?: AbortSignal) =>
    new LinearClient({ apiKey, ...(apiUrl && { apiUrl }), ...(signal && { signal }) });
  // Built once up front so a bad apiUrl (plain http to a non-local host) fails at start-up, not as an "outage".
  linear();

  return {
    async createIssue({ teamId, title, description, labelIds }) {
      const input = { teamId, title, description, ...(labelIds && labelIds.length > 0 && { labelIds }) };
      const { data } = await caller.call("issueCreate", async (signal) => {
        try {
          return await linear(signal).client.rawRequest<IssueCreateData, { input: typeof input }>(ISSUE_CREATE, {
            input,
          });
        } catch (error) {
          throw toLinearError(error);
        }
      });
      const issue = data?.issueCreate.issue;
      if (!data?.issueCreate.success || !issue) {
        throw new OutsideServiceRejectedError(SERVICE, 400, "issueCreate did not succeed");
      }
      return { identifier: issue.identifier, url: issue.url };
    },
  };
}

/**
 * The SDK turns a failed request into a LinearError subclass chosen by the first GraphQL error's
 * `extensions.type`, else by HTTP status. Linear's rate-limit errors carry `extensions.code: "RATELIMITED"`,
 * which the SDK does not look at, so that is checked here too. A fetch that got no response (refused, aborted)
 * is not wrapped by the SDK and arrives as the fetch error.
 */
function toLinearError(error: unknown): AppError {
  if (isAbortError(error))
    return new OutsideServiceUnavailableError(SERVICE, "timeout", "request aborted by the timeout");
  if (!(error instanceof LinearError)) {
    const message =
      error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    return new OutsideServiceUnavailableError(SERVICE, "network", message);
  }
  const message = error.errors?.[0]?.message ?? error.message.split(": {")[0] ?? "request failed";
  if (error instanceof RatelimitedLinearError || error.status === 429 || hasRateLimitCode(error)) {
    return new RateLimitedError(SERVICE, linearRetryAfter(error) ?? DEFAULT_RETRY_AFTER_SECONDS, message);
  }
  switch (error.type) {
    case LinearErrorType.InternalError:
    case LinearErrorType.NetworkError:
    case LinearErrorType.LockTimeout:
      return new OutsideServiceUnavailableError(SERVICE, "server_error", message, {
        ...(error.status && { status: error.status }),
      });
    case LinearErrorType.AuthenticationError:
      return new OutsideServiceRejectedError(SERVICE, 401, message);
    case LinearErrorType.Forbidden:
    case LinearErrorType.FeatureNotAccessible:
      return new OutsideServiceRejectedError(SERVICE, 403, message);
  }
  // GraphQL errors arrive with HTTP 200 or 400; either way Linear understood the request and refused it.
  const status = error.status !== undefined && error.status >= 400 ? error.status : 400;
  return errorForHttpFailure({ service: SERVICE, status, message });
}

function hasRateLimitCode(error: LinearError): boolean {
  const errors = error.raw?.response?.errors as { extensions?: { code?: unknown } }[] | undefined;
  return errors?.some((e) => e.extensions?.code === "RATELIMITED") ?? false;
}

/**
 * `Retry-After` when sent, else the later of the request and complexity reset times (epoch milliseconds).
 * Read from the raw headers: the SDK parses them only when it chose RatelimitedLinearError, which it does
 * not when the body carries a GraphQL error without `extensions.type`.
 */
function linearRetryAfter(error: LinearError): number | undefined {
  const headers = error.raw?.response?.headers;
  const retryAfter = parseRetryAfter(headers?.get("retry-after"));
  if (retryAfter !== undefined) return retryAfter;
  const resets = ["x-ratelimit-requests-reset", "x-ratelimit-complexity-reset"]
    .map((name) => secondsUntilEpoch(headers?.get(name)))
    .filter((s): s is number => s !== undefined);
  return resets.length > 0 ? Math.max(...resets) : undefined;
}
