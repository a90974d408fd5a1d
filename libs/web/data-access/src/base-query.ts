import { ERROR_CODES, ErrorEnvelopeSchema, HTTP_STATUS, type ErrorCode } from "@devflow/contracts";
import {
  fetchBaseQuery,
  type BaseQueryFn,
  type FetchBaseQueryError,
  type FetchBaseQueryMeta,
} from "@reduxjs/toolkit/query";
import type { ApiError } from "./api-error";

/** The header that says which organization a request acts in (the one in the page's URL). */
export const ORGANIZATION_HEADER = "x-organization-id";

/** One API call as endpoints describe it. */
export interface ApiRequest {
  /** Path under the base URL, e.g. `/projects`. */
  url: string;
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Sent as JSON. */
  body?: unknown;
  /** Query string; `undefined` and `null` values are left out. */
  params?: Record<string, string | number | boolean | null | undefined>;
  /** Sent as `x-organization-id`; omit for calls that are not about one organization. */
  organizationId?: string;
}

export interface BaseQueryOptions {
  /** Absolute or same-origin base, e.g. `/api/v1`. */
  baseUrl: string;
  /** For tests; defaults to the global `fetch`. */
  fetchFn?: typeof fetch;
}

export type ApiBaseQuery = BaseQueryFn<ApiRequest, unknown, ApiError, object, FetchBaseQueryMeta>;

/**
 * RTK Query's fetch wrapper with DevFlow's conventions: JSON bodies, the organization header, and
 * every failure (error envelope, non-JSON reply, network error) turned into one `ApiError` shape.
 */
export function createBaseQuery({ baseUrl, fetchFn }: BaseQueryOptions): ApiBaseQuery {
  const raw = fetchBaseQuery({ baseUrl, credentials: "same-origin", ...(fetchFn && { fetchFn }) });
  return async (request, api, extraOptions) => {
    const headers: Record<string, string> = {};
    if (request.organizationId) headers[ORGANIZATION_HEADER] = request.organizationId;
    const result = await raw(
      {
        url: request.url,
        method: request.method ?? "GET",
        headers,
        ...(request.body !== undefined && { body: request.body }),
        ...(request.params && { params: withoutEmpty(request.params) }),
      },
      api,
      extraOptions,
    );
    if (result.error) return { error: toApiError(result.error), ...(result.meta && { meta: result.meta }) };
    return { data: result.data, ...(result.meta && { meta: result.meta }) };
  };
}

/** Maps whatever `fetchBaseQuery` reports to an `ApiError`, preferring the server's own envelope. */
export function toApiError(error: FetchBaseQueryError): ApiError {
  if (typeof error.status === "number") return fromResponse(error.status, error.data);
  switch (error.status) {
    case "FETCH_ERROR":
      return {
        status: 0,
        code: "unavailable",
        message: "Could not reach DevFlow. Check your connection and try again.",
      };
    case "TIMEOUT_ERROR":
      return { status: 0, code: "unavailable", message: "DevFlow took too long to answer. Please try again." };
    case "PARSING_ERROR":
      // A proxy's HTML error page, say: keep the status, say plainly that the body was not ours.
      return {
        status: error.originalStatus,
        code: codeForStatus(error.originalStatus),
        message: `The server answered ${error.originalStatus} with a response DevFlow could not read.`,
      };
    case "CUSTOM_ERROR":
      return { status: 0, code: "internal", message: error.error };
  }
}

function fromResponse(status: number, body: unknown): ApiError {
  const envelope = ErrorEnvelopeSchema.safeParse(body);
  if (envelope.success) {
    const { code, message, details } = envelope.data.error;
    return { status, code, message, ...(details !== undefined && { details }) };
  }
  return { status, code: codeForStatus(status), message: `The server answered ${status} without an error message.` };
}

/**
 * The first code whose HTTP status matches, so a bare 404 still reads as `not_found`. The model
 * provider codes name a cause a bare status cannot tell (a proxy's 502 is not the model's fault).
 */
function codeForStatus(status: number): ErrorCode {
  const generic = ERROR_CODES.filter((code) => !code.startsWith("ai_"));
  return generic.find((code) => HTTP_STATUS[code] === status) ?? (status >= 500 ? "internal" : "validation_failed");
}

function withoutEmpty(params: NonNullable<ApiRequest["params"]>): Record<string, string | number | boolean> {
  const kept: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null) kept[key] = value;
  return kept;
}
