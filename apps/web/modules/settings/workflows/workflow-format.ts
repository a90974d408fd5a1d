import type { WorkflowRunDto, WorkflowRunStatus } from "@devflow/contracts";
import type { BadgeTone } from "@devflow/web-ui";
import { formatDuration } from "../../ai-activity/activity-format";

export const RUN_STATUS_LABELS: Record<WorkflowRunStatus, string> = {
  queued: "Queued",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
};

export const RUN_STATUS_TONES: Record<WorkflowRunStatus, BadgeTone> = {
  queued: "neutral",
  running: "blue",
  succeeded: "green",
  failed: "red",
  cancelled: "amber",
};

/** Runs and steps still changing on their own: views poll while they show one. */
export function isActive(status: WorkflowRunStatus): boolean {
  return status === "queued" || status === "running";
}

/** Only a failed or cancelled run can be retried (the API refuses the others). */
export function canRetry(status: WorkflowRunStatus): boolean {
  return status === "failed" || status === "cancelled";
}

/** "1.2 s"; "4 s so far" while it runs; "—" before it starts. */
export function durationLabel(
  timing: { startedAt: string | null; finishedAt: string | null; durationMs: number | null },
  now: number = Date.now(),
): string {
  if (timing.durationMs !== null) return formatDuration(timing.durationMs);
  if (timing.startedAt && !timing.finishedAt) {
    return `${formatDuration(Math.max(0, now - new Date(timing.startedAt).getTime()))} so far`;
  }
  return "—";
}

/** "1 attempt", "3 attempts". */
export function attemptsLabel(attempts: number): string {
  return `${attempts} attempt${attempts === 1 ? "" : "s"}`;
}

/** A value as the detail view shows it: indented JSON. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? "null";
}

/** What retrying does to this run, for the confirmation: where it starts again, what it keeps. */
export function retryMessage(run: Pick<WorkflowRunDto, "steps">): string {
  const from = run.steps.find((step) => step.status !== "succeeded");
  if (!from) return "Every step has succeeded; the run will only be marked finished.";
  const kept = run.steps.filter((step) => step.status === "succeeded").length;
  if (kept === 0) return `It runs again from the first step, ${from.name}.`;
  const before = kept === 1 ? "The step before it keeps its" : `The ${kept} steps before it keep their`;
  return `It runs again from step ${from.name}. ${before} output and ${kept === 1 ? "does" : "do"} not run again.`;
}
