import { AppError } from "@devflow/util-core";
import type { ChatProviderName } from "./chat-model";

const PROVIDER_LABEL: Record<ChatProviderName, string> = {
  openai: "OpenAI",
  anthropic: "Anthropic",
  google: "Google Gemini",
  "openai-compatible": "The configured model server",
  extractive: "The extractive answerer",
};

/** What the caller may safely see about a provider failure: no body text, no key, no URL. */
export interface AiErrorDetails {
  provider: ChatProviderName;
  /** The provider's HTTP status, when there was one. */
  status?: number;
  /** The provider's short machine code (`rate_limit_error`, `context_length_exceeded`…), never its prose. */
  providerCode?: string;
  /** The provider's request id, for a support ticket. */
  requestId?: string;
  /** From `retry-after-ms`, `retry-after` or Google's RetryInfo, on `ai_rate_limited`. */
  retryAfterSeconds?: number;
}

/** How long a stream ran before the call's deadline ended it; thrown as `ai_timeout`. */
export function aiTimeout(provider: ChatProviderName, timeoutMs: number): AppError {
  return new AppError(
    "ai_timeout",
    `${PROVIDER_LABEL[provider]} did not finish answering within ${Math.round(timeoutMs / 1000)} s; try again or ask something shorter`,
    { details: { provider } satisfies AiErrorDetails, retryable: true, report: true },
  );
}

/** A provider is selected but something it needs (model, key, base URL) is missing. */
export function aiNotConfigured(message: string): AppError {
  return new AppError("ai_not_configured", message, { report: false, retryable: false });
}

/** The stream closed without the provider's end-of-turn marker (connection cut, proxy timeout). */
export function streamEndedEarly(provider: ChatProviderName): AppError {
  return new AppError(
    "ai_provider_error",
    `${PROVIDER_LABEL[provider]} stopped answering before the reply was complete`,
    {
      details: { provider } satisfies AiErrorDetails,
      retryable: true,
      report: true,
    },
  );
}

/**
 * Turns whatever an SDK threw into an `AppError`. The SDKs put the provider's response body (and
 * sometimes a masked key) into `error.message`, so the message is rebuilt from the status and the
 * provider's short error code only, and the cause kept for logs is a summary, not the SDK error.
 */
export function toAiError(provider: ChatProviderName, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const facts = readFacts(error);
  const label = PROVIDER_LABEL[provider];
  const details: AiErrorDetails = {
    provider,
    ...(facts.status !== undefined && { status: facts.status }),
    ...(facts.code !== undefined && { providerCode: facts.code }),
    ...(facts.requestId !== undefined && { requestId: facts.requestId }),
  };
  const cause = new Error(
    `${facts.name} from ${provider}` +
      (facts.status !== undefined ? ` status=${facts.status}` : "") +
      (facts.code !== undefined ? ` code=${facts.code}` : ""),
  );
  const options = { details, cause, report: true };

  if (facts.isTimeout || facts.status === 408 || facts.status === 504) {
    return new AppError("ai_timeout", `${label} timed out; try again in a moment`, { ...options, retryable: true });
  }
  if (facts.status === 429 || facts.code === "rate_limit_error" || facts.code === "RESOURCE_EXHAUSTED") {
    const retryAfterSeconds = facts.retryAfterSeconds;
    const when = retryAfterSeconds === undefined ? "in a moment" : `in ${Math.max(1, Math.ceil(retryAfterSeconds))} s`;
    return new AppError("ai_rate_limited", `${label} is rate-limiting requests; try again ${when}`, {
      details: { ...details, ...(retryAfterSeconds !== undefined && { retryAfterSeconds }) },
      cause,
      report: false,
      retryable: true,
    });
  }
  if (facts.status === 401 || facts.status === 403) {
    return new AppError("ai_provider_error", `${label} refused the configured credentials (HTTP ${facts.status})`, {
      ...options,
      retryable: false,
    });
  }
  if (facts.status === 404) {
    return new AppError("ai_provider_error", `${label} does not know the configured model (HTTP 404)`, {
      ...options,
      retryable: false,
    });
  }
  if (facts.status !== undefined && facts.status >= 400 && facts.status < 500) {
    const why = facts.code ? ` (${facts.code})` : "";
    return new AppError("ai_provider_error", `${label} rejected the request with HTTP ${facts.status}${why}`, {
      ...options,
      retryable: false,
    });
  }
  if (facts.status !== undefined || facts.code === "overloaded_error" || facts.code === "api_error") {
    const status = facts.status !== undefined ? ` (HTTP ${facts.status})` : "";
    return new AppError("ai_provider_error", `${label} failed to answer${status}; try again in a moment`, {
      ...options,
      retryable: true,
    });
  }
  if (facts.isConnection) {
    return new AppError("ai_provider_error", `${label} could not be reached`, { ...options, retryable: true });
  }
  return new AppError("ai_provider_error", `${label} sent a reply that could not be read`, {
    ...options,
    retryable: false,
  });
}

/** True for failures worth another attempt before anything reached the caller. */
export function isRetryableAiError(error: AppError): boolean {
  if (!error.retryable) return false;
  return error.code === "ai_rate_limited" || error.code === "ai_provider_error";
}

interface ErrorFacts {
  name: string;
  status?: number;
  code?: string;
  requestId?: string;
  retryAfterSeconds?: number;
  isTimeout: boolean;
  isConnection: boolean;
}

const SHORT_CODE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/*
 * Read by shape, not by class: OpenAI's and Anthropic's SDKs (both Stainless-generated) expose
 * `status`, `headers`, `error` and `type`/`code`; Google's ApiError has `status` and a JSON message.
 */
function readFacts(error: unknown): ErrorFacts {
  const e = (typeof error === "object" && error !== null ? error : {}) as Record<string, unknown>;
  const name = typeof e.name === "string" ? e.name : typeof error;
  const constructorName = (e.constructor as { name?: string } | undefined)?.name ?? "";
  const status = typeof e.status === "number" ? e.status : undefined;
  const headers = e.headers instanceof Headers ? e.headers : undefined;
  const facts: ErrorFacts = {
    name: constructorName || name,
    status,
    isTimeout: /Timeout/.test(constructorName) || /Timeout/.test(name),
    isConnection:
      /Connection/.test(constructorName) ||
      /Connection/.test(name) ||
      // Google's SDK lets fetch's own "fetch failed" TypeError through unwrapped.
      (error instanceof TypeError && /fetch failed/i.test(error.message)),
  };
  const code = pickShortCode(e);
  if (code !== undefined) facts.code = code;
  const requestId =
    headers?.get("x-request-id") ??
    headers?.get("request-id") ??
    (typeof e.requestID === "string" ? e.requestID : null);
  if (requestId && SHORT_CODE.test(requestId)) facts.requestId = requestId;
  const retryAfter = retryAfterFromHeaders(headers) ?? googleRetryDelay(e.message);
  if (retryAfter !== undefined) facts.retryAfterSeconds = retryAfter;
  if (facts.code === undefined) {
    const googleStatus = googleErrorStatus(e.message);
    if (googleStatus !== undefined) facts.code = googleStatus;
  }
  return facts;
}

function pickShortCode(e: Record<string, unknown>): string | undefined {
  const body = (typeof e.error === "object" && e.error !== null ? e.error : {}) as Record<string, unknown>;
  const nested = (typeof body.error === "object" && body.error !== null ? body.error : {}) as Record<string, unknown>;
  for (const candidate of [e.code, e.type, body.code, body.type, nested.type]) {
    if (typeof candidate === "string" && SHORT_CODE.test(candidate) && candidate !== "error") return candidate;
  }
  return undefined;
}

/** `retry-after-ms` (OpenAI's), then `retry-after` in seconds or as an HTTP date. */
export function retryAfterFromHeaders(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get("retry-after-ms") ?? "");
  if (Number.isFinite(ms) && ms >= 0) return ms / 1000;
  const value = headers.get("retry-after");
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

/*
 * Google's SDK throws `ApiError` whose message is the JSON error body. Only two fields are read from
 * it: `error.status` (a short enum such as RESOURCE_EXHAUSTED) and RetryInfo's `retryDelay` ("30s").
 */
function parseGoogleBody(message: unknown): Record<string, unknown> | undefined {
  if (typeof message !== "string" || !message.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(message) as { error?: unknown };
    return typeof parsed.error === "object" && parsed.error !== null
      ? (parsed.error as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function googleErrorStatus(message: unknown): string | undefined {
  const status = parseGoogleBody(message)?.status;
  return typeof status === "string" && SHORT_CODE.test(status) ? status : undefined;
}

function googleRetryDelay(message: unknown): number | undefined {
  const details = parseGoogleBody(message)?.details;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details as Record<string, unknown>[]) {
    if (typeof detail?.["@type"] === "string" && detail["@type"].endsWith("google.rpc.RetryInfo")) {
      const match = /^(\d+(?:\.\d+)?)s$/.exec(String(detail.retryDelay ?? ""));
      if (match) return Number(match[1]);
    }
  }
  return undefined;
}
