import type { WorkflowRunStatus } from "@devflow/contracts";
import type { Prisma, Tx } from "@devflow/db";

/*
 * Every query on workflow_runs and workflow_step_runs, always inside the caller's withTenant.
 * Writes that may set a JSON column to NULL are SQL: Prisma only writes a NULL JSON column through
 * a runtime sentinel that @devflow/db does not expose, and an explicit statement is clearer anyway.
 */

const stepColumns = {
  id: true,
  name: true,
  position: true,
  status: true,
  attempts: true,
  input: true,
  output: true,
  error: true,
  startedAt: true,
  finishedAt: true,
  nextAttemptAt: true,
} as const;

const runColumns = {
  id: true,
  workflow: true,
  triggerKey: true,
  status: true,
  error: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
} as const;

export type StepRow = Prisma.WorkflowStepRunGetPayload<{ select: typeof stepColumns }>;
export type RunSummaryRow = Prisma.WorkflowRunGetPayload<{ select: typeof runColumns }>;
export type RunRow = RunSummaryRow & {
  input: Prisma.JsonValue;
  output: Prisma.JsonValue | null;
  lockedBy: string | null;
  lockedUntil: Date | null;
  steps: StepRow[];
};

/** JSON for a `::jsonb` parameter; null stays SQL NULL. */
const jsonb = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

// ───────────────────────────── starting ─────────────────────────────

/** Inserts the run unless one exists for (organization, workflow, trigger); true when inserted. */
export async function insertRunIfAbsent(
  tx: Tx,
  run: { id: string; organizationId: string; workflow: string; triggerKey: string; input: unknown },
): Promise<boolean> {
  // ON CONFLICT DO NOTHING: a concurrent start with the same key waits for ours, then skips.
  const { count } = await tx.workflowRun.createMany({
    data: [{ ...run, input: (run.input ?? {}) as Prisma.InputJsonValue }],
    skipDuplicates: true,
  });
  return count === 1;
}

export function findRunIdByTrigger(tx: Tx, workflow: string, triggerKey: string) {
  return tx.workflowRun.findFirst({ where: { workflow, triggerKey }, select: { id: true } });
}

/** Adds step rows that do not exist yet (all of them for a new run; new ones after a deploy). */
export async function insertMissingSteps(
  tx: Tx,
  organizationId: string,
  runId: string,
  steps: readonly { name: string; position: number }[],
): Promise<void> {
  await tx.workflowStepRun.createMany({
    data: steps.map((step) => ({ organizationId, runId, name: step.name, position: step.position })),
    skipDuplicates: true,
  });
}

// ───────────────────────────── reading ─────────────────────────────

export async function findRun(tx: Tx, runId: string): Promise<RunRow | null> {
  return tx.workflowRun.findFirst({
    where: { id: runId },
    select: {
      ...runColumns,
      input: true,
      output: true,
      lockedBy: true,
      lockedUntil: true,
      steps: { select: stepColumns, orderBy: [{ position: "asc" }, { name: "asc" }] },
    },
  });
}

export interface RunFilter {
  workflow?: string | undefined;
  status?: WorkflowRunStatus | undefined;
}

export interface RunCursor {
  createdAt: Date;
  id: string;
}

/** Runs newest first, from just after `before`. */
export function listRuns(tx: Tx, filter: RunFilter, limit: number, before?: RunCursor): Promise<RunSummaryRow[]> {
  return tx.workflowRun.findMany({
    where: {
      ...(filter.workflow && { workflow: filter.workflow }),
      ...(filter.status && { status: filter.status }),
      ...(before && {
        OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }],
      }),
    },
    select: runColumns,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
  });
}

/** How many steps each run has, and how many of them succeeded. */
export async function countSteps(
  tx: Tx,
  runIds: readonly string[],
): Promise<Map<string, { total: number; succeeded: number }>> {
  const counts = new Map<string, { total: number; succeeded: number }>();
  if (runIds.length === 0) return counts;
  const groups = await tx.workflowStepRun.groupBy({
    by: ["runId", "status"],
    where: { runId: { in: [...runIds] } },
    _count: { _all: true },
  });
  for (const group of groups) {
    const count = counts.get(group.runId) ?? { total: 0, succeeded: 0 };
    count.total += group._count._all;
    if (group.status === "succeeded") count.succeeded += group._count._all;
    counts.set(group.runId, count);
  }
  return counts;
}

// ───────────────────────────── the lease ─────────────────────────────

/**
 * Takes the run for the delivery holding `token` until `until`: only a queued or running run
 * whose lease is free, lapsed or already this token's. False when another delivery holds it (or it
 * finished meanwhile). Concurrent claims serialize on the row; the loser's condition then fails.
 */
export async function claimRun(
  tx: Tx,
  runId: string,
  lease: { token: string; now: Date; until: Date; startedAt: Date },
): Promise<boolean> {
  const { count } = await tx.workflowRun.updateMany({
    where: {
      id: runId,
      status: { in: ["queued", "running"] },
      OR: [{ lockedUntil: null }, { lockedUntil: { lte: lease.now } }, { lockedBy: lease.token }],
    },
    data: { status: "running", lockedBy: lease.token, lockedUntil: lease.until, startedAt: lease.startedAt },
  });
  return count === 1;
}

/** Extends the lease if `token` still holds it; false when it was lost to another delivery. */
export async function renewLease(tx: Tx, runId: string, token: string, until: Date): Promise<boolean> {
  const { count } = await tx.workflowRun.updateMany({
    where: { id: runId, lockedBy: token },
    data: { lockedUntil: until },
  });
  return count === 1;
}

export async function releaseLease(tx: Tx, runId: string, token: string): Promise<void> {
  await tx.workflowRun.updateMany({
    where: { id: runId, lockedBy: token },
    data: { lockedBy: null, lockedUntil: null },
  });
}

// ───────────────────────────── the runner's writes ─────────────────────────────

export async function markAttemptStarted(
  tx: Tx,
  stepId: string,
  attempt: { number: number; input: unknown; now: Date },
): Promise<void> {
  await tx.$executeRaw`
    UPDATE workflow_step_runs
       SET status = 'running', attempts = ${attempt.number}, input = ${jsonb(attempt.input)}::jsonb,
           started_at = COALESCE(started_at, ${attempt.now}::timestamptz), finished_at = NULL, next_attempt_at = NULL
     WHERE id = ${stepId}::uuid`;
}

/** `lastError`, the failure of an earlier attempt if any, stays on the row for the trail. */
export async function markStepSucceeded(
  tx: Tx,
  stepId: string,
  end: { output: unknown; lastError: string | null; now: Date },
): Promise<void> {
  await tx.$executeRaw`
    UPDATE workflow_step_runs
       SET status = 'succeeded', output = ${jsonb(end.output)}::jsonb, error = ${end.lastError},
           finished_at = ${end.now}::timestamptz, next_attempt_at = NULL
     WHERE id = ${stepId}::uuid`;
}

/** A failed attempt with attempts left: the step waits for `nextAttemptAt`. */
export async function markStepRetrying(tx: Tx, stepId: string, error: string, nextAttemptAt: Date): Promise<void> {
  await tx.workflowStepRun.updateMany({ where: { id: stepId }, data: { status: "queued", error, nextAttemptAt } });
}

export async function markStepFailed(tx: Tx, stepId: string, error: string, now: Date): Promise<void> {
  await tx.workflowStepRun.updateMany({
    where: { id: stepId },
    data: { status: "failed", error, finishedAt: now, nextAttemptAt: null },
  });
}

/** Ends the run and frees its lease, if `token` still holds it; false when it was lost. */
export async function finishRun(
  tx: Tx,
  runId: string,
  token: string,
  end: { status: "succeeded" | "failed"; output: unknown; error: string | null; now: Date },
): Promise<boolean> {
  const count = await tx.$executeRaw`
    UPDATE workflow_runs
       SET status = ${end.status}::run_status, output = ${jsonb(end.output)}::jsonb, error = ${end.error},
           finished_at = ${end.now}::timestamptz, locked_by = NULL, locked_until = NULL
     WHERE id = ${runId}::uuid AND locked_by = ${token}`;
  return count === 1;
}

// ───────────────────────────── retrying ─────────────────────────────

/**
 * Puts a failed or cancelled run back in the queue, its steps from `fromPosition` on as if they had
 * never run. False when the run is not failed or cancelled any more (a concurrent retry won).
 */
export async function requeueRun(tx: Tx, runId: string, fromPosition: number): Promise<boolean> {
  const count = await tx.$executeRaw`
    UPDATE workflow_runs
       SET status = 'queued', output = NULL, error = NULL, started_at = NULL, finished_at = NULL,
           locked_by = NULL, locked_until = NULL
     WHERE id = ${runId}::uuid AND status IN ('failed', 'cancelled')`;
  if (count !== 1) return false;
  await tx.$executeRaw`
    UPDATE workflow_step_runs
       SET status = 'queued', attempts = 0, input = NULL, output = NULL, error = NULL,
           started_at = NULL, finished_at = NULL, next_attempt_at = NULL
     WHERE run_id = ${runId}::uuid AND position >= ${fromPosition}`;
  return true;
}
