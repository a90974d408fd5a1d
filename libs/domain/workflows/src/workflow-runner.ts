import type { DomainEvent } from "@devflow/contracts";
import type { Database, TenantContext } from "@devflow/db";
import type { EventHandler } from "@devflow/events";
import { createLogger, type Logger } from "@devflow/observability";
import { AppError } from "@devflow/util-core";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { holdLease, LeaseLostError, type HeldLease } from "./run-lease";
import { executeStep, RunInterruptedError } from "./step-execution";
import { errorMessageOf } from "./stored-json";
import { resolveSteps, type WorkflowDefinition } from "./workflow-definition";
import * as repo from "./workflow-runs.repository";
import type { RunRow } from "./workflow-runs.repository";

/** The handler's name: its queue, and its Pub/Sub subscription. Renaming it starts a new, empty queue. */
export const WORKFLOW_RUNNER_HANDLER = "workflows.run-requested";

/** How long a claim holds a run without being renewed. */
export const DEFAULT_LEASE_MS = 60_000;

/**
 * A workflow of any input type. The runner holds workflows of different inputs side by side; each
 * checks its own input with its inputSchema, so nothing is lost by forgetting the type here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: a heterogeneous registry
export type AnyWorkflowDefinition = WorkflowDefinition<any>;

export interface WorkflowRunnerOptions {
  /** Every workflow this worker can run, by name; a run of any other fails with a clear error. */
  workflows: readonly AnyWorkflowDefinition[];
  logger?: Logger;
  /** How long a claim lasts without renewal (default DEFAULT_LEASE_MS); renewed every third of it. */
  leaseMs?: number;
  /**
   * The worker's shutdown: once aborted, running runs stop before their next attempt, free their
   * lease and throw (retryable), so the bus delivers them again to a worker that is staying.
   */
  signal?: AbortSignal;
  /** The clock, for tests of leases. */
  now?: () => Date;
  /** For tests of backoff jitter. */
  random?: () => number;
}

type Claim =
  | { kind: "claimed"; run: RunRow }
  | { kind: "missing" }
  | { kind: "finished" }
  | { kind: "busy"; lockedUntil: Date | null };

/**
 * The workflow runner: on `workflow.run_requested` it claims the run (a lease, so two deliveries
 * never execute it at once), runs the steps that have not succeeded yet in order — each with its
 * retries, each recorded as it goes — and marks the run succeeded (its output is the last step's)
 * or failed. A step that fails for good fails the run without throwing: the failure is recorded
 * for admins to read and retry, not redelivered forever. It throws, for the bus to deliver the
 * event again, only when the run could not be taken or finished: another delivery holds a live
 * lease, the worker is stopping, or the database failed. A redelivery resumes at the first step
 * that has not succeeded, which is what makes a run survive a crash.
 */
export function createWorkflowRunner(
  db: Database,
  options: WorkflowRunnerOptions,
): EventHandler<"workflow.run_requested"> {
  const registry = new Map<string, AnyWorkflowDefinition>();
  for (const workflow of options.workflows) {
    if (registry.has(workflow.name)) throw new Error(`Two workflows are named ${workflow.name}`);
    registry.set(workflow.name, workflow);
  }
  const logger = options.logger ?? createLogger({ service: "worker", level: "silent" });
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;

  /** Reads the run and takes its lease, in one transaction; adds rows for steps a deploy added. */
  function claim(tenant: TenantContext, runId: string, token: string): Promise<Claim> {
    return db.withTenant(tenant, async (tx): Promise<Claim> => {
      const run = await repo.findRun(tx, runId);
      if (!run) return { kind: "missing" };
      if (run.status !== "queued" && run.status !== "running") return { kind: "finished" };
      const at = now();
      const until = new Date(at.getTime() + leaseMs);
      const isClaimed = await repo.claimRun(tx, runId, { token, now: at, until, startedAt: run.startedAt ?? at });
      if (!isClaimed) return { kind: "busy", lockedUntil: run.lockedUntil };
      const definition = registry.get(run.workflow);
      const known = new Set(run.steps.map((step) => step.name));
      const missing = definition ? resolveSteps(definition).filter((step) => !known.has(step.name)) : [];
      if (missing.length === 0) return { kind: "claimed", run };
      await repo.insertMissingSteps(tx, tenant.organizationId, runId, missing);
      return { kind: "claimed", run: (await repo.findRun(tx, runId))! };
    });
  }

  /** Runs the claimed run's remaining steps and records its end. */
  async function execute(run: RunRow, tenant: TenantContext, lease: HeldLease, log: Logger): Promise<void> {
    const finish = async (end: { status: "succeeded" | "failed"; output: unknown; error: string | null }) => {
      const isFinished = await lease.fenced((tx) => repo.finishRun(tx, run.id, lease.token, { ...end, now: now() }));
      if (!isFinished) throw new LeaseLostError(run.id);
      log.info({ status: end.status }, `workflow run ${end.status}`);
    };
    const definition = registry.get(run.workflow);
    if (!definition) {
      const error = `No workflow named "${run.workflow}" is registered with this worker, so the run cannot be executed`;
      return finish({ status: "failed", output: null, error });
    }
    const parsed = definition.inputSchema?.safeParse(run.input) ?? { success: true as const, data: run.input };
    if (!parsed.success) {
      const error = `The run's input does not match workflow ${run.workflow}: ${z.prettifyError(parsed.error)}`;
      return finish({ status: "failed", output: null, error: errorMessageOf(error) });
    }
    const rows = new Map(run.steps.map((row) => [row.name, row]));
    const outputs: Record<string, unknown> = {};
    let last: unknown = null;
    for (const step of resolveSteps(definition)) {
      const row = rows.get(step.name)!;
      if (row.status !== "succeeded") {
        const outcome = await executeStep(step, row, {
          run: {
            runId: run.id,
            organizationId: tenant.organizationId,
            workflow: run.workflow,
            input: parsed.data,
            outputs: { ...outputs },
          },
          tenant,
          lease,
          shutdown: options.signal,
          logger: log,
          now,
          random,
        });
        if (!outcome.ok) {
          const tries = `${outcome.attempts} attempt${outcome.attempts === 1 ? "" : "s"}`;
          const error = errorMessageOf(`Step ${step.name} failed after ${tries}: ${outcome.error}`);
          return finish({ status: "failed", output: null, error });
        }
        outputs[step.name] = outcome.output;
      } else {
        outputs[step.name] = row.output;
      }
      last = outputs[step.name];
    }
    return finish({ status: "succeeded", output: last, error: null });
  }

  return {
    name: WORKFLOW_RUNNER_HANDLER,
    type: "workflow.run_requested",
    // A delivery that finds the run leased elsewhere throws and is retried until the lease holder
    // finishes (or dies and its lease lapses): twelve attempts, the backoff doubling over some
    // hours, rather than the default five. A worker killed mid-run loses its delivery after
    // expireInSeconds, not the bus's 15 minutes; a longer run is then delivered again, finds its
    // own lease live, and waits like any duplicate.
    retry: { maxAttempts: 12, baseDelaySeconds: 5, expireInSeconds: 180 },
    async handle(event: DomainEvent<"workflow.run_requested">) {
      const { runId } = event.data;
      const tenant = { organizationId: event.organizationId };
      const log = logger.child({ runId, workflow: event.data.workflow, eventId: event.id });
      // A token per delivery: two deliveries in one process must not share a lease.
      const token = randomUUID();
      const claimed = await claim(tenant, runId, token);
      if (claimed.kind === "missing" || claimed.kind === "finished") {
        log.info({ outcome: claimed.kind }, "workflow run needs nothing; the event is done");
        return;
      }
      if (claimed.kind === "busy") {
        const until = claimed.lockedUntil ? ` (its lease runs until ${claimed.lockedUntil.toISOString()})` : "";
        throw new AppError("conflict", `Workflow run ${runId} is being executed by another delivery${until}`, {
          retryable: true,
          report: false,
        });
      }
      const lease = holdLease(db, tenant, { runId, token, leaseMs, now, logger: log });
      try {
        await execute(claimed.run, tenant, lease, log);
      } catch (error) {
        throw await stopped(error, { runId, tenant, lease, log });
      } finally {
        await lease.stop();
      }
    },
  };

  /**
   * What to throw when a run stops without an outcome. A lost lease is another delivery's run now:
   * leave it be. Otherwise free the lease (best effort) so a redelivery need not wait for it to lapse.
   */
  async function stopped(
    error: unknown,
    { runId, tenant, lease, log }: { runId: string; tenant: TenantContext; lease: HeldLease; log: Logger },
  ): Promise<unknown> {
    if (error instanceof LeaseLostError || lease.signal.aborted) {
      log.warn({ err: error }, "workflow run taken over by another delivery; this one stops");
      return new AppError("conflict", errorMessageOf(error), { retryable: true, report: false, cause: error });
    }
    await db
      .withTenant(tenant, (tx) => repo.releaseLease(tx, runId, lease.token))
      .catch((releaseError: unknown) => log.warn({ err: releaseError }, "could not free a workflow run's lease"));
    if (error instanceof RunInterruptedError) {
      log.info("workflow run interrupted by shutdown; it resumes when the event is delivered again");
      return new AppError("unavailable", `Workflow run ${runId} was interrupted by the worker stopping`, {
        retryable: true,
        report: false,
      });
    }
    return error;
  }
}
