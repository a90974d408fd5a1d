import type { AppError } from "@devflow/util-core";
import { HttpException, Version3Client } from "jira.js";
import { plainTextToAdf } from "./adf";
import { errorForHttpFailure, isAbortError, OutsideServiceUnavailableError, parseRetryAfter } from "./errors";
import type { ResilientCaller } from "./resilience";

export interface JiraClientOptions {
  /** The site root, e.g. `https://acme.atlassian.net`; a loopback fake in tests. */
  host: string;
  /** The Atlassian account the API token belongs to (basic auth user). */
  email: string;
  apiToken: string;
  /** The caller for this organization's breaker (`breakerKey("jira", organizationId)`). */
  caller: ResilientCaller;
}

export interface CreateJiraIssueInput {
  projectKey: string;
  summary: string;
  /** Plain text; sent as an Atlassian Document Format document (REST v3 takes nothing else). */
  description: string;
  /** The issue type's name in that project, e.g. "Task" or "Bug". */
  issueType: string;
  labels?: string[];
}

export interface JiraClient {
  createIssue(input: CreateJiraIssueInput): Promise<{ key: string; url: string }>;
}

const SERVICE = "jira";

/**
 * A Jira Cloud client on jira.js's Version3Client (REST v3, axios underneath, no retries of its own). Its
 * methods take no AbortSignal, but `baseRequestConfig` is handed to `axios.create`, so a client is built per
 * call with the caller's signal there.
 */
export function createJiraClient({ host, email, apiToken, caller }: JiraClientOptions): JiraClient {
  const site = host.replace(/\/+$/, "");
  const jira = (signal?: AbortSignal) =>
    new Version3Client({
      host: site,
      authentication: { basic: { email, apiToken } },
      ...(signal && { baseRequestConfig: { signal } }),
    });
  // Built once up front so a malformed host fails at start-up rather than as an "outage" on first use.
  jira();

  return {
    async createIssue({ projectKey, summary, description, issueType, labels }) {
      const document = plainTextToAdf(description);
      const created = await caller.call("issues.createIssue", async (signal) => {
        try {
          return await jira(signal).issues.createIssue({
            fields: {
              project: { key: projectKey },
              summary,
              issuetype: { name: issueType },
              // An empty ADF document is valid, but a missing description reads better in Jira than a blank one.
              ...(document.content.length > 0 && { description: document }),
              ...(labels && labels.length > 0 && { labels }),
            },
          });
        } catch (error) {
          throw toJiraError(error);
        }
      });
      return { key: created.key, url: `${site}/browse/${encodeURIComponent(created.key)}` };
    },
  };
}

/**
 * jira.js wraps a response error in an HttpException (status, Jira's body in `response.data`, the AxiosError
 * as `cause`) and passes a request that got no response through as the AxiosError itself. Neither is
 * attached as a cause here: the AxiosError's config holds the basic-auth header.
 */
function toJiraError(error: unknown): AppError {
  if (isAbortError(error))
    return new OutsideServiceUnavailableError(SERVICE, "timeout", "request aborted by the timeout");
  if (error instanceof HttpException) {
    const axiosHeaders = (error.cause as { response?: { headers?: Record<string, unknown> } } | undefined)?.response
      ?.headers;
    const retryAfter = axiosHeaders?.["retry-after"];
    return errorForHttpFailure({
      service: SERVICE,
      status: error.status,
      message: jiraMessage(error.response) ?? error.message,
      retryAfterSeconds: parseRetryAfter(typeof retryAfter === "string" ? retryAfter : undefined),
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new OutsideServiceUnavailableError(SERVICE, "network", message);
}

/** Jira's `{ errorMessages: [], errors: { field: message } }`, flattened for an error message. */
function jiraMessage(response: unknown): string | undefined {
  const data = (response as { data?: unknown } | null)?.data;
  if (typeof data !== "object" || data === null) return undefined;
  const { errorMessages, errors } = data as { errorMessages?: unknown; errors?: unknown };
  const parts: string[] = [];
  if (Array.isArray(errorMessages)) parts.push(...errorMessages.filter((m): m is string => typeof m === "string"));
  if (typeof errors === "object" && errors !== null) {
    for (const [field, message] of Object.entries(errors)) parts.push(`${field}: ${String(message)}`);
  }
  return parts.length > 0 ? parts.join("; ") : undefined;
}
