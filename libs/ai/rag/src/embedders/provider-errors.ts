import { AppError } from "@devflow/util-core";

/** What an SDK error says about the failure, independent of which SDK threw it. */
export interface ProviderFailure {
  /** HTTP status, when the provider answered. */
  status?: number;
  /** The request ran out of time (ours, not the caller's cancellation). */
  timedOut: boolean;
  /** The provider's own explanation, if it gave one. */
  providerMessage?: string;
  /** Seconds the provider asked us to wait (Retry-After), if it said. */
  retryAfterSeconds?: number;
}

// Shapes of keys that must never reach a message or a log even if a provider echoes them back:
// OpenAI (sk-…), Google (AIza…), Pinecone (pcsk_…), and bearer tokens in general.
const KEY_PATTERNS = [/sk-[A-Za-z0-9_-]{8,}/g, /AIza[0-9A-Za-z_-]{20,}/g, /pcsk_[A-Za-z0-9_-]{8,}/g, /Bearer\s+\S+/gi];

/** `text` with every occurrence of the given secrets and of anything shaped like an API key replaced. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  for (const pattern of KEY_PATTERNS) out = out.replace(pattern, "[redacted]");
  return out;
}

/**
 * Maps a failed provider call to the AppError every edge understands: 429 → `ai_rate_limited`,
 * our timeout → `ai_timeout`, anything else → `ai_provider_error` (retryable unless the provider
 * said the request itself is wrong or the key is refused). The message names the provider, the
 * model and the status; the provider's own words are kept, with keys redacted, and the raw SDK
 * error is not attached (it can carry request details into logs).
 */
export function toProviderAppError(
  failure: ProviderFailure,
  context: { provider: string; model?: string; operation: string; secrets: readonly (string | undefined)[] },
): AppError {
  const what = `${context.provider} ${context.operation}${context.model ? ` with "${context.model}"` : ""}`;
  const said = failure.providerMessage
    ? `: ${redactSecrets(failure.providerMessage, context.secrets).slice(0, 300)}`
    : "";
  const details = {
    provider: context.provider,
    ...(context.model && { model: context.model }),
    ...(failure.status !== undefined && { status: failure.status }),
    ...(failure.retryAfterSeconds !== undefined && { retryAfterSeconds: failure.retryAfterSeconds }),
  };
  if (failure.timedOut) {
    return new AppError("ai_timeout", `${what} timed out`, { details, report: true, retryable: true });
  }
  if (failure.status === 429) {
    return new AppError("ai_rate_limited", `${what} was rate limited (429)${said}`, {
      details,
      report: false,
      retryable: true,
    });
  }
  if (failure.status === 401 || failure.status === 403) {
    return new AppError("ai_provider_error", `${what} was refused (${failure.status}): check the API key${said}`, {
      details,
      report: true,
      retryable: false,
    });
  }
  if (failure.status !== undefined && failure.status >= 400 && failure.status < 500 && failure.status !== 408) {
    return new AppError("ai_provider_error", `${what} was rejected (${failure.status})${said}`, {
      details,
      report: true,
      retryable: false,
    });
  }
  const how = failure.status === undefined ? "could not reach the provider" : `failed (${failure.status})`;
  return new AppError("ai_provider_error", `${what} ${how}${said}`, { details, report: true, retryable: true });
}

/** Whether an error (or anything in its cause chain) is a fetch abort caused by a timeout. */
export function isTimeoutError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.name === "TimeoutError" || e.name === "AbortError") return true;
  }
  return false;
}

/** Seconds from a Retry-After header value (seconds or an HTTP date), if it parses. */
export function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
