import { isTimeoutError, parseRetryAfter, type ProviderFailure } from "../embedders/provider-errors";

/**
 * Raised by `timedFetch` on a 429: the SDK has no error class for it (it would surface as an
 * "unmapped" error with the status only in its message), and its retry loop only retries 5xx,
 * so throwing here hands the throttling straight back with its Retry-After.
 */
export class PineconeThrottledError extends Error {
  constructor(readonly retryAfterSeconds: number | undefined) {
    super("Pinecone answered 429 Too Many Requests");
    this.name = "PineconeThrottledError";
  }
}

/**
 * The fetch the Pinecone SDK is given: the platform fetch with a per-request deadline (the SDK has
 * no timeout of its own) combined with any signal the SDK passes, and 429 turned into
 * PineconeThrottledError.
 */
export function timedFetch(timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    const response = await fetch(input, { ...init, signal });
    if (response.status === 429) {
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
      await response.body?.cancel();
      throw new PineconeThrottledError(retryAfter);
    }
    return response;
  };
}

// The SDK's error classes by name, with the status each stands for (see its errors/http).
const STATUS_BY_ERROR_NAME: Record<string, number> = {
  PineconeBadRequestError: 400,
  PineconeArgumentError: 400,
  PineconeAuthorizationError: 401,
  PineconeNotFoundError: 404,
  PineconeMethodNotAllowedError: 405,
  PineconeConflictError: 409,
  PineconeUnprocessableEntityError: 422,
  PineconeInternalServerError: 500,
  PineconeNotImplementedError: 501,
  PineconeMaxRetriesExceededError: 503,
  PineconeUnavailableError: 503,
};

/** What a failed Pinecone SDK call amounts to (walks the SDK's cause chain). */
export function describePineconeFailure(error: unknown): ProviderFailure {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof PineconeThrottledError)
      return { status: 429, timedOut: false, retryAfterSeconds: e.retryAfterSeconds };
  }
  if (isTimeoutError(error)) return { timedOut: true };
  if (!(error instanceof Error)) return { timedOut: false };
  const status =
    STATUS_BY_ERROR_NAME[error.name] ??
    (error.name === "PineconeUnmappedHttpError"
      ? Number(/Status: (\d{3})/.exec(error.message)?.[1]) || undefined
      : undefined);
  if (status === undefined) return { timedOut: false };
  return { status, timedOut: false, providerMessage: error.message };
}
