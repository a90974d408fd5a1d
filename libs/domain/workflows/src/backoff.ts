import type { StepRetryPolicy } from "./workflow-definition";

/**
 * How long to wait after failed attempt number `attempt` (1-based) before the next: the base
 * doubled per attempt, capped, with "equal jitter" — half of it fixed, half random — so runs that
 * failed together (a provider outage) do not all retry in the same instant, yet none retries at once.
 */
export function retryDelayMs(
  attempt: number,
  policy: Pick<StepRetryPolicy, "baseDelayMs" | "maxDelayMs">,
  random: () => number = Math.random,
): number {
  const exponential = policy.baseDelayMs * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(capped / 2 + (capped / 2) * random());
}
