import type { TenantContext } from "@devflow/db";
import type { Logger } from "@devflow/observability";
import { retryDelayMs } from "./backoff";
import type { HeldLease } from "./run-lease";
import { errorMessageOf, isRetryable, toStoredJson } from "./stored-json";
import type { ResolvedStep, StepInputContext } from "./workflow-definition";
import * as repo from "./workflow-runs.repository";
import type { StepRow } from "./workflow-runs.repository";

/** The worker is stopping: the run stops between attempts and resumes on the event's redelivery. */
export class RunInterruptedError extends Error {
  override name = "RunInterruptedError";
}

class StepTimeoutError extends Error {
  override name = "StepTimeoutError";
}

export interface StepEnvironment<I> {
  run: StepInputContext<I> & { workflow: string };
  tenant: TenantContext;
  lease: HeldLease;
  /** The worker's shutdown signal: no new attempt starts once it fires. */
  shutdown: AbortSignal | undefined;
  logger: Logger;
  now: () => Date;
  random: () => number;
}

export type StepOutcome = { ok: true; output: unknown } | { ok: false; attempts: number; error: string };

/**
 * Runs one step to success or to its last attempt, recording each attempt on its row as it goes
 * (started, then succeeded, waiting to retry, or failed). Continues a step where an earlier
 * delivery left it: its attempts so far count, and a backoff in progress is waited out. Throws
 * only when the run must stop without an outcome: the lease was lost, the worker is stopping, or
 * a write failed.
 */
export async function executeStep<I>(
  step: ResolvedStep<I>,
  row: StepRow,
  env: StepEnvironment<I>,
): Promise<StepOutcome> {
  const { lease, now } = env;
  let attempts = row.attempts;
  // A step left running was cut off mid-attempt (its worker died): that attempt counts as failed.
  let lastError = row.status === "running" ? `The worker stopped during attempt ${row.attempts}` : row.error;
  if (row.nextAttemptAt) {
    await pause(Math.min(row.nextAttemptAt.getTime() - now().getTime(), step.retry.maxDelayMs), env);
  }
  for (;;) {
    if (attempts >= step.retry.attempts) {
      const error = lastError ?? "No attempts left";
      await lease.fenced((tx) => repo.markStepFailed(tx, row.id, error, now()));
      return { ok: false, attempts, error };
    }
    if (env.shutdown?.aborted) throw new RunInterruptedError();
    attempts += 1;
    const result = await attempt(step, row, attempts, env);
    if (result.ok) {
      const end = { output: result.output, lastError, now: now() };
      await lease.fenced((tx) => repo.markStepSucceeded(tx, row.id, end));
      return result;
    }
    lastError = errorMessageOf(result.error);
    env.logger.warn({ step: step.name, attempt: attempts, err: result.error }, "a workflow step's attempt failed");
    if (!isRetryable(result.error) || attempts >= step.retry.attempts) {
      const error = lastError;
      await lease.fenced((tx) => repo.markStepFailed(tx, row.id, error, now()));
      return { ok: false, attempts, error };
    }
    const delay = retryDelayMs(attempts, step.retry, env.random);
    const error = lastError;
    await lease.fenced((tx) => repo.markStepRetrying(tx, row.id, error, new Date(now().getTime() + delay)));
    await pause(delay, env);
  }
}

type AttemptResult = { ok: true; output: unknown } | { ok: false; error: unknown };

/** One attempt: its input recorded, `run` raced against its timeout and the lease, its output checked. */
async function attempt<I>(step: ResolvedStep<I>, row: StepRow, number: number, env: StepEnvironment<I>) {
  const { lease, now } = env;
  let stepInput: unknown = null;
  let inputError: unknown = null;
  try {
    stepInput = step.input ? toStoredJson(step.input(env.run), `The input of step ${step.name}`) : null;
  } catch (error) {
    inputError = error;
  }
  await lease.fenced((tx) => repo.markAttemptStarted(tx, row.id, { number, input: stepInput, now: now() }));
  if (inputError !== null) return { ok: false, error: inputError } satisfies AttemptResult;

  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new StepTimeoutError(`Step ${step.name} timed out after ${step.timeoutMs} ms`)),
    step.timeoutMs,
  );
  const signal = AbortSignal.any([timeout.signal, lease.signal]);
  try {
    const output = await raceAbort(
      step.run({
        ...env.run,
        step: step.name,
        attempt: number,
        tenant: env.tenant,
        stepInput,
        logger: env.logger.child({ step: step.name, attempt: number }),
        signal,
      }),
      signal,
    );
    return { ok: true, output: toStoredJson(output, `The output of step ${step.name}`) } satisfies AttemptResult;
  } catch (error) {
    // Lost to another delivery: not this step's failure, and nothing more may be written.
    if (lease.signal.aborted) throw lease.signal.reason;
    return { ok: false, error } satisfies AttemptResult;
  } finally {
    clearTimeout(timer);
  }
}

/** Settles with `promise`, or rejects with the signal's reason as soon as it aborts. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    // The abandoned promise keeps its handlers, so a late rejection is not an unhandled one.
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Waits out a backoff; cut short by a lost lease (rethrown) or the worker stopping. */
async function pause(ms: number, { lease, shutdown }: Pick<StepEnvironment<unknown>, "lease" | "shutdown">) {
  if (ms <= 0) return;
  const signal = shutdown ? AbortSignal.any([lease.signal, shutdown]) : lease.signal;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await raceAbort(new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), signal);
  } catch (error) {
    if (lease.signal.aborted) throw error;
    throw new RunInterruptedError();
  } finally {
    clearTimeout(timer);
  }
}
