import type { ErrorCode } from "@devflow/contracts";
import { AppError } from "@devflow/util-core";

/** Why an outside service could not be used; workers retry all of these. */
export type UnavailableReason =
  /** Our breaker for this service and tenant is open: the call was refused without being sent. */
  | "circuit_open"
  /** No answer within the caller's timeout; the request was aborted. */
  | "timeout"
  /** The service answered 5xx, or an equivalent "internal error" in its own envelope. */
  | "server_error"
  /** Connection refused, reset, DNS failure: the request never got an answer. */
  | "network";

/**
 * The service is down, slow, or our breaker for it is open. Retryable; counts towards opening the breaker
 * (except `circuit_open`, which is the breaker itself refusing).
 */
export class OutsideServiceUnavailableError extends AppError {
  readonly service: string;
  readonly reason: UnavailableReason;
  readonly status: number | undefined;

  constructor(
    service: string,
    reason: UnavailableReason,
    message: string,
    options: { status?: number; cause?: unknown } = {},
  ) {
    super("unavailable", `${service}: ${message}`, {
      cause: options.cause,
      details: { service, reason, ...(options.status !== undefined && { status: options.status }) },
      // One log line when the breaker opens is enough; every refused call after it is expected.
      report: reason !== "circuit_open",
      retryable: true,
    });
    this.name = "OutsideServiceUnavailableError";
    this.service = service;
    this.reason = reason;
    this.status = options.status;
  }
}

/**
 * The service refused this request (4xx other than 429): bad input, missing permission, unknown repository.
 * Not retryable, and not a breaker failure — a bad request says nothing about whether the service is up.
 */
export class OutsideServiceRejectedError extends AppError {
  readonly service: string;
  readonly status: number;

  constructor(service: string, status: number, message: string) {
    const code = rejectionCode(status);
    super(code, `${service} rejected the request (${status}): ${message}`, {
      details: { service, status },
      report: code !== "not_found" && code !== "conflict",
      retryable: false,
    });
    this.name = "OutsideServiceRejectedError";
    this.service = service;
    this.status = status;
  }
}

/**
 * The service asked us to slow down (429, GitHub's 403 with `x-ratelimit-remaining: 0`, Slack's `ratelimited`).
 * Retryable after `retryAfterSeconds`; the caller refuses further calls for that key until then, without
 * opening the breaker.
 */
export class RateLimitedError extends AppError {
  readonly service: string;
  /** Whole seconds to wait before calling this service for this tenant again (at least 1). */
  readonly retryAfterSeconds: number;

  constructor(service: string, retryAfterSeconds: number, message = "rate limited") {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super("rate_limited", `${service}: ${message}; retry after ${seconds}s`, {
      details: { service, retryAfterSeconds: seconds },
      report: false,
      retryable: true,
    });
    this.name = "RateLimitedError";
    this.service = service;
    this.retryAfterSeconds = seconds;
  }
}

/*
 * The closed ErrorCode table has no "outside service refused" code, so pick the one whose meaning an edge
 * already maps well. 401/403 become `forbidden`, not `unauthenticated`: the user is signed in to DevFlow,
 * it is our stored credential for the other service that was refused.
 */
function rejectionCode(status: number): ErrorCode {
  if (status === 404 || status === 410) return "not_found";
  if (status === 409) return "conflict";
  if (status === 401 || status === 403) return "forbidden";
  if (status === 413) return "payload_too_large";
  if (status === 400 || status === 422) return "validation_failed";
  return "internal";
}

/** What the typed errors need to know about a failed HTTP exchange, whichever SDK made it. */
export interface HttpFailure {
  service: string;
  /** HTTP status; undefined when no response arrived. */
  status?: number;
  /** The service's own explanation (its error body), trimmed before it reaches a message. */
  message: string;
  /** Seconds from a rate-limit header, when the service sent one. */
  retryAfterSeconds?: number;
}

/** The typed error for an HTTP failure: 429 → rate limited, 5xx and no answer → unavailable, other 4xx → rejected. */
export function errorForHttpFailure({ service, status, message, retryAfterSeconds }: HttpFailure): AppError {
  const said = message.slice(0, 300);
  if (status === undefined) return new OutsideServiceUnavailableError(service, "network", said);
  if (status === 429) return new RateLimitedError(service, retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS, said);
  if (status >= 500 || status === 408) {
    return new OutsideServiceUnavailableError(service, "server_error", `answered ${status}: ${said}`, { status });
  }
  return new OutsideServiceRejectedError(service, status, said);
}

/**
 * When a service says "slow down" without saying for how long. GitHub documents "wait at least one minute"
 * for secondary rate limits without headers; the others are at least as strict.
 */
export const DEFAULT_RETRY_AFTER_SECONDS = 60;

/** Seconds from a `Retry-After` value: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Seconds until an epoch reset header (GitHub's `x-ratelimit-reset` is UTC epoch seconds). */
export function secondsUntilEpoch(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  const epoch = Number(value.trim());
  // Some services send milliseconds; no seconds timestamp reaches 1e12 before the year 33658.
  const atMs = epoch >= 1e12 ? epoch : epoch * 1000;
  return Math.max(0, Math.ceil((atMs - now) / 1000));
}

/** Whether an error (or its cause chain) is a request abort: the caller's timeout fired. */
export function isAbortError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.name === "AbortError" || e.name === "TimeoutError" || (e as { code?: unknown }).code === "ERR_CANCELED") {
      return true;
    }
  }
  return false;
}
