import type { AppError } from "@devflow/util-core";
import type { ChatProviderName, ChatStreamEvent } from "./chat-model";
import { aiTimeout, isRetryableAiError, toAiError } from "./provider-errors";

/** Limits applied to one `stream()` call, whatever the provider. */
export interface CallPolicy {
  /** Budget for the whole turn, retries and backoff included, from the request to the last event. */
  timeoutMs: number;
  /** Further attempts after a 429, 5xx or dropped connection, made only while nothing has been streamed. */
  maxRetries: number;
  /**
   * The longest pause between attempts. A provider asking to wait longer (retry-after) fails the call
   * at once with `ai_rate_limited` and its retry-after, so a person is not left watching a spinner.
   */
  maxRetryDelayMs: number;
}

export const DEFAULT_CALL_POLICY: CallPolicy = { timeoutMs: 60_000, maxRetries: 2, maxRetryDelayMs: 10_000 };

/** One attempt: opens the provider stream with `signal` and maps its events. */
export type Attempt = (signal: AbortSignal) => AsyncIterable<ChatStreamEvent>;

/**
 * Runs `attempt` under the call's deadline and the caller's signal, retrying retryable failures only
 * while no event has reached the caller (a retry after the first token would repeat text).
 *
 * The SDKs' own retries are switched off by the providers: theirs sleep without watching the abort
 * signal and honour any retry-after, so a 120 s retry-after would hold the call past its deadline.
 * Failures are thrown as `AppError`; aborting the caller's signal throws the signal's reason.
 */
export async function* runWithPolicy(
  provider: ChatProviderName,
  policy: CallPolicy,
  callerSignal: AbortSignal | undefined,
  attempt: Attempt,
): AsyncGenerator<ChatStreamEvent> {
  const deadline = new AbortController();
  const startedAt = Date.now();
  const timer = setTimeout(() => deadline.abort(), policy.timeoutMs);
  const signal = callerSignal ? AbortSignal.any([callerSignal, deadline.signal]) : deadline.signal;
  let emitted = false;
  try {
    for (let attemptNumber = 0; ; attemptNumber++) {
      try {
        for await (const event of attempt(signal)) {
          emitted = true;
          yield event;
        }
        throwIfAborted(provider, policy, callerSignal, deadline.signal);
        return;
      } catch (error) {
        throwIfAborted(provider, policy, callerSignal, deadline.signal);
        const failure = toAiError(provider, error);
        const delayMs = emitted ? undefined : retryDelay(failure, attemptNumber, policy, startedAt);
        if (delayMs === undefined) throw failure;
        await sleep(delayMs, signal);
        throwIfAborted(provider, policy, callerSignal, deadline.signal);
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

function throwIfAborted(
  provider: ChatProviderName,
  policy: CallPolicy,
  callerSignal: AbortSignal | undefined,
  deadline: AbortSignal,
): void {
  if (callerSignal?.aborted) throw abortReason(callerSignal);
  if (deadline.aborted) throw aiTimeout(provider, policy.timeoutMs);
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason instanceof Error ? signal.reason : new DOMException("The chat call was aborted", "AbortError");
}

/** The pause before the next attempt, or undefined when the failure must be thrown now. */
function retryDelay(
  failure: AppError,
  attemptNumber: number,
  policy: CallPolicy,
  startedAt: number,
): number | undefined {
  if (attemptNumber >= policy.maxRetries || !isRetryableAiError(failure)) return undefined;
  const retryAfterSeconds = (failure.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  const backoff = Math.min(500 * 2 ** attemptNumber, 4_000) * (1 - Math.random() * 0.25);
  const delayMs = retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : backoff;
  if (delayMs > policy.maxRetryDelayMs) return undefined;
  // Leave the next attempt at least a second of the budget, or it would only end in ai_timeout.
  if (Date.now() - startedAt + delayMs + 1_000 > policy.timeoutMs) return undefined;
  return delayMs;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
