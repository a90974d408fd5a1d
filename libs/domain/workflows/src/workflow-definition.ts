import { WORKFLOW_NAME_MAX, WORKFLOW_STEP_NAME_MAX } from "@devflow/contracts";
import type { TenantContext } from "@devflow/db";
import type { Logger } from "@devflow/observability";
import type { z } from "zod";

/** How a step's failed attempts are retried. */
export interface StepRetryPolicy {
  /** Attempts in all, the first included; 1 means never retried. */
  attempts: number;
  /** The wait before the second attempt; each later wait doubles it, with random jitter. */
  baseDelayMs: number;
  /**
   * The longest single wait. The runner waits in its own process, holding the run's lease, so keep
   * it short; work that needs hours between tries belongs in a new run.
   */
  maxDelayMs: number;
}

export const DEFAULT_STEP_RETRY: StepRetryPolicy = { attempts: 3, baseDelayMs: 1_000, maxDelayMs: 60_000 };
/** An attempt still running after this long is abandoned (its signal aborts) and counts as failed. */
export const DEFAULT_STEP_TIMEOUT_MS = 5 * 60_000;
/** More attempts than this is a loop, not a retry policy. */
const STEP_ATTEMPTS_MAX = 20;

/** What a step's `input` function sees: the run so far. */
export interface StepInputContext<I = unknown> {
  runId: string;
  organizationId: string;
  /** The run's input, parsed by the workflow's inputSchema when it has one. */
  input: I;
  /** The outputs of the steps before this one, by step name (JSON, as stored). */
  outputs: Readonly<Record<string, unknown>>;
}

/** What a step's `run` is given for one attempt. */
export interface StepContext<I = unknown> extends StepInputContext<I> {
  workflow: string;
  step: string;
  /** 1 for the first attempt; counts across deliveries, so a resumed run continues the count. */
  attempt: number;
  /** The organization to work in: `db.withTenant(ctx.tenant, …)`. */
  tenant: TenantContext;
  /** What the step's `input` function returned, as stored on the step (null without one). */
  stepInput: unknown;
  /** Bound to the run, step and attempt. */
  logger: Logger;
  /**
   * Aborted when the attempt times out or the runner loses the run's lease: stop outside calls.
   * An attempt that ignores it is abandoned anyway, its result discarded.
   */
  signal: AbortSignal;
}

export interface WorkflowStep<I = unknown> {
  /** Unique within the workflow and stable: a resumed or retried run finds its steps by name. */
  name: string;
  /**
   * What this step works on, derived from the run's input and earlier outputs. Optional: when given,
   * its JSON is stored on the step (the audit trail) and handed to `run` as `ctx.stepInput`.
   */
  input?: (ctx: StepInputContext<I>) => unknown;
  /**
   * Does the step's work and resolves with its output: JSON of at most WORKFLOW_JSON_BYTES_MAX
   * (`undefined` is stored as null). Throwing fails the attempt; a plain Error is retried, an
   * AppError only when it is `retryable` (a not_found will not be found by asking again).
   * May run more than once for one run (a retry, or a crash after its effect but before its
   * output was stored), so outside effects should be idempotent, e.g. keyed by the run id.
   */
  run: (ctx: StepContext<I>) => Promise<unknown>;
  retry?: Partial<StepRetryPolicy>;
  /** Per attempt; default DEFAULT_STEP_TIMEOUT_MS. */
  timeoutMs?: number;
}

export interface WorkflowDefinition<I = unknown> {
  /** Stored on each run and carried by its events; renaming a workflow strands its unfinished runs. */
  name: string;
  /** Checks the input when a run starts and again when it runs (a deploy may have changed it). */
  inputSchema?: z.ZodType<I>;
  /** Run in this order, each once it has succeeded. */
  steps: readonly WorkflowStep<I>[];
}

/** A step with its defaults applied, as the runner uses it. */
export interface ResolvedStep<I = unknown> extends WorkflowStep<I> {
  position: number;
  retry: StepRetryPolicy;
  timeoutMs: number;
}

const NAME = /^[a-z0-9][a-z0-9._-]*$/;

/**
 * Declares a workflow: named steps that run in order, each retried on failure, with state stored
 * per run so a run survives crashes and can be retried from the step that failed. Checks the
 * definition at once (a typo should fail at start-up, not on the first run): names are lower-case
 * slugs, step names unique, retry policies sane.
 */
export function defineWorkflow<I = unknown>(definition: WorkflowDefinition<I>): WorkflowDefinition<I> {
  assertName(definition.name, WORKFLOW_NAME_MAX, "workflow name");
  if (definition.steps.length === 0) throw new Error(`Workflow ${definition.name} has no steps`);
  const seen = new Set<string>();
  for (const step of definition.steps) {
    assertName(step.name, WORKFLOW_STEP_NAME_MAX, `step name in workflow ${definition.name}`);
    if (seen.has(step.name)) throw new Error(`Workflow ${definition.name} has two steps named ${step.name}`);
    seen.add(step.name);
    const { attempts, baseDelayMs, maxDelayMs } = { ...DEFAULT_STEP_RETRY, ...step.retry };
    if (!Number.isInteger(attempts) || attempts < 1 || attempts > STEP_ATTEMPTS_MAX) {
      throw new Error(`Step ${step.name} of ${definition.name}: attempts must be 1–${STEP_ATTEMPTS_MAX}`);
    }
    if (!(baseDelayMs >= 0) || !(maxDelayMs >= baseDelayMs)) {
      throw new Error(`Step ${step.name} of ${definition.name}: need 0 ≤ baseDelayMs ≤ maxDelayMs`);
    }
    if (step.timeoutMs !== undefined && !(step.timeoutMs > 0)) {
      throw new Error(`Step ${step.name} of ${definition.name}: timeoutMs must be positive`);
    }
  }
  return definition;
}

/** The steps in order, with positions and defaults. */
export function resolveSteps<I>(definition: WorkflowDefinition<I>): ResolvedStep<I>[] {
  return definition.steps.map((step, position) => ({
    ...step,
    position,
    retry: { ...DEFAULT_STEP_RETRY, ...step.retry },
    timeoutMs: step.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS,
  }));
}

function assertName(name: string, max: number, what: string): void {
  if (name.length > max || !NAME.test(name)) {
    throw new Error(`Invalid ${what} "${name}": lower-case letters, digits, . _ - (at most ${max})`);
  }
}
