import { can, type RequestContext } from "@devflow/auth";
import type {
  ListWorkflowRunsQuery,
  Page,
  WorkflowRunDto,
  WorkflowRunSummaryDto,
  WorkflowStepRunDto,
} from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { recordAudit, type AuditActorType } from "@devflow/domain-audit";
import { recordEvent } from "@devflow/events";
import { AppError, encodeCursor, forbidden, isUuid, notFound, readCursor } from "@devflow/util-core";
import * as repo from "./workflow-runs.repository";
import type { RunSummaryRow, StepRow } from "./workflow-runs.repository";

export type WorkflowRunsService = ReturnType<typeof createWorkflowRunsService>;

/** How much of the failed run's error the audit entry keeps. */
const AUDIT_ERROR_MAX = 500;

/*
 * Runs are background work of the whole organization, with what it read and wrote (a pull
 * request's analysis): admins and owners see them and retry them, like failed jobs.
 */
function assertManagesWorkflows(ctx: RequestContext): void {
  if (!can(ctx.actor, "integrations:manage")) throw forbidden("Only admins can see and retry workflow runs");
}

/** The organization's workflow runs, newest first, one page at a time (admins and owners). */
export async function listWorkflowRuns(
  db: Database,
  ctx: RequestContext,
  query: ListWorkflowRunsQuery,
): Promise<Page<WorkflowRunSummaryDto>> {
  assertManagesWorkflows(ctx);
  const [createdAt, id] = query.cursor ? readCursor(query.cursor, ["timestamp", "uuid"]) : [];
  const before = createdAt && id ? { createdAt: new Date(createdAt), id } : undefined;
  return db.withTenant(ctx, async (tx) => {
    const rows = await repo.listRuns(tx, query, query.limit + 1, before);
    const page = rows.slice(0, query.limit);
    const counts = await repo.countSteps(
      tx,
      page.map((row) => row.id),
    );
    const last = page.at(-1);
    return {
      items: page.map((row) => toSummaryDto(row, counts.get(row.id))),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  });
}

/** One run with its steps in order; not_found when it is not this organization's. */
export async function getWorkflowRun(db: Database, ctx: RequestContext, runId: string): Promise<WorkflowRunDto> {
  assertManagesWorkflows(ctx);
  if (!isUuid(runId)) throw notFound("Workflow run", runId.slice(0, 64));
  const run = await db.withTenant(ctx, (tx) => repo.findRun(tx, runId));
  if (!run) throw notFound("Workflow run", runId);
  return toRunDto(run);
}

/**
 * Runs a failed (or cancelled) run again from the step that did not succeed: that step and those
 * after it are reset to queued, those before keep their outputs and are not executed again. Writes
 * a new `workflow.run_requested` event and the audit entry in the same transaction. Admins and
 * owners only; conflict when the run is not failed or cancelled (a concurrent retry included).
 */
export async function retryWorkflowRun(db: Database, ctx: RequestContext, runId: string): Promise<WorkflowRunDto> {
  assertManagesWorkflows(ctx);
  if (!isUuid(runId)) throw notFound("Workflow run", runId.slice(0, 64));
  const run = await db.withTenant(ctx, async (tx) => {
    const found = await repo.findRun(tx, runId);
    if (!found) throw notFound("Workflow run", runId);
    if (found.status !== "failed" && found.status !== "cancelled") throw notRetryable(runId, found.status);
    const from = found.steps.find((step) => step.status !== "succeeded");
    // No step left to run (a run cancelled after its last step): the runner only marks it succeeded.
    const fromPosition = from?.position ?? Number.MAX_SAFE_INTEGER;
    if (!(await repo.requeueRun(tx, runId, fromPosition))) throw notRetryable(runId, "no longer failed");
    await recordEvent(tx, {
      type: "workflow.run_requested",
      organizationId: ctx.organizationId,
      data: { runId, workflow: found.workflow },
    });
    await recordAudit(tx, ctx.organizationId, {
      action: "workflow_run.retried",
      actor: auditActorOf(ctx),
      target: { type: "workflow_run", id: runId },
      metadata: {
        workflow: found.workflow,
        triggerKey: found.triggerKey,
        previousStatus: found.status,
        fromStep: from?.name ?? null,
        previousError: found.error?.slice(0, AUDIT_ERROR_MAX) ?? null,
      },
      ipAddress: ctx.ipAddress ?? null,
    });
    return repo.findRun(tx, runId);
  });
  return toRunDto(run!);
}

/** The read and retry side bound to a database, as the web app's services hold it. */
export function createWorkflowRunsService(db: Database) {
  return {
    list: (ctx: RequestContext, query: ListWorkflowRunsQuery) => listWorkflowRuns(db, ctx, query),
    get: (ctx: RequestContext, runId: string) => getWorkflowRun(db, ctx, runId),
    retry: (ctx: RequestContext, runId: string) => retryWorkflowRun(db, ctx, runId),
  };
}

function notRetryable(runId: string, status: string): AppError {
  return new AppError("conflict", `Workflow run ${runId} is ${status}; only a failed or cancelled run can be retried`, {
    report: false,
  });
}

function auditActorOf(ctx: RequestContext): { type: AuditActorType; userId: string } {
  return { type: ctx.actor.via?.kind === "api_token" ? "api_token" : "user", userId: ctx.actor.userId };
}

function durationOf(startedAt: Date | null, finishedAt: Date | null): number | null {
  return startedAt && finishedAt ? Math.max(0, finishedAt.getTime() - startedAt.getTime()) : null;
}

function toSummaryDto(row: RunSummaryRow, counts: { total: number; succeeded: number } | undefined) {
  return {
    id: row.id,
    workflow: row.workflow,
    triggerKey: row.triggerKey,
    status: row.status,
    error: row.error,
    stepCount: counts?.total ?? 0,
    succeededStepCount: counts?.succeeded ?? 0,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    durationMs: durationOf(row.startedAt, row.finishedAt),
  } satisfies WorkflowRunSummaryDto;
}

function toStepDto(step: StepRow): WorkflowStepRunDto {
  return {
    name: step.name,
    position: step.position,
    status: step.status,
    attempts: step.attempts,
    input: step.input,
    output: step.output,
    error: step.error,
    startedAt: step.startedAt?.toISOString() ?? null,
    finishedAt: step.finishedAt?.toISOString() ?? null,
    durationMs: durationOf(step.startedAt, step.finishedAt),
    nextAttemptAt: step.nextAttemptAt?.toISOString() ?? null,
  };
}

function toRunDto(run: repo.RunRow): WorkflowRunDto {
  const succeeded = run.steps.filter((step) => step.status === "succeeded").length;
  return {
    ...toSummaryDto(run, { total: run.steps.length, succeeded }),
    input: run.input,
    output: run.output,
    steps: run.steps.map(toStepDto),
  };
}
