import { z } from "zod";
import { PageQuerySchema, pageOf } from "./pagination";

/*
 * Workflow runs (libs/domain/workflows): multi-step background work, such as analysing a pull
 * request, recorded step by step so admins can see what each step was given, what it produced, how
 * long it took and why it failed, and retry a failed run from the step that failed.
 */

/** Most bytes of JSON (UTF-8) stored for a run's input, and for each step's input and output. */
export const WORKFLOW_JSON_BYTES_MAX = 256 * 1024;
/** Most characters of an error message stored for a step or a run. */
export const WORKFLOW_ERROR_MAX = 4_000;
export const WORKFLOW_NAME_MAX = 100;
export const WORKFLOW_STEP_NAME_MAX = 100;
/** A trigger key names what started a run, e.g. "github:pull_request:acme/api#42:head:1a2b3c". */
export const WORKFLOW_TRIGGER_KEY_MAX = 300;

/** The table's `run_status`, shared by runs and their steps. */
export const WORKFLOW_RUN_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export const WorkflowRunStatusSchema = z.enum(WORKFLOW_RUN_STATUSES);
export type WorkflowRunStatus = z.infer<typeof WorkflowRunStatusSchema>;

/** A run as the list shows it: everything but the input, the output and the steps. */
export const WorkflowRunSummarySchema = z.object({
  id: z.uuid(),
  workflow: z.string(),
  triggerKey: z.string(),
  status: WorkflowRunStatusSchema,
  /** Why the run failed (which step, after how many attempts, its last error); null otherwise. */
  error: z.string().nullable(),
  stepCount: z.number().int().min(0),
  succeededStepCount: z.number().int().min(0),
  createdAt: z.iso.datetime(),
  /** When a runner first took it; null while it waits. Reset when an admin retries the run. */
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  /** finishedAt − startedAt, or null until the run has finished. */
  durationMs: z.number().int().min(0).nullable(),
});
export type WorkflowRunSummaryDto = z.infer<typeof WorkflowRunSummarySchema>;

export const WorkflowStepRunSchema = z.object({
  name: z.string(),
  position: z.number().int().min(0),
  status: WorkflowRunStatusSchema,
  /** Attempts made so far, the one running now included. */
  attempts: z.number().int().min(0),
  /** What the step declared it works on (null when it declares nothing). */
  input: z.unknown().nullable(),
  output: z.unknown().nullable(),
  /**
   * The last failed attempt's error. Kept when a later attempt succeeds, so the trail shows why a
   * step needed more than one.
   */
  error: z.string().nullable(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  durationMs: z.number().int().min(0).nullable(),
  /** When the next attempt is due, while the step waits out its backoff. */
  nextAttemptAt: z.iso.datetime().nullable(),
});
export type WorkflowStepRunDto = z.infer<typeof WorkflowStepRunSchema>;

/** One run in full: `GET /api/v1/workflow-runs/:id`. Steps in the order they run. */
export const WorkflowRunSchema = WorkflowRunSummarySchema.extend({
  input: z.unknown(),
  /** The last step's output once the run succeeded. */
  output: z.unknown().nullable(),
  steps: z.array(WorkflowStepRunSchema),
});
export type WorkflowRunDto = z.infer<typeof WorkflowRunSchema>;

export const WorkflowRunPageSchema = pageOf(WorkflowRunSummarySchema);

const blankAsUndefined = (value: unknown) => (value === "" ? undefined : value);

/** `GET /api/v1/workflow-runs`: newest first; empty filters mean "any". */
export const ListWorkflowRunsQuerySchema = PageQuerySchema.extend({
  workflow: z.preprocess(blankAsUndefined, z.string().trim().min(1).max(WORKFLOW_NAME_MAX).optional()),
  status: z.preprocess(blankAsUndefined, WorkflowRunStatusSchema.optional()),
});
export type ListWorkflowRunsQuery = z.infer<typeof ListWorkflowRunsQuerySchema>;
