import { WORKFLOW_TRIGGER_KEY_MAX } from "@devflow/contracts";
import type { Tx } from "@devflow/db";
import { recordEvent } from "@devflow/events";
import { AppError } from "@devflow/util-core";
import { randomUUID } from "node:crypto";
import { toStoredJson } from "./stored-json";
import type { WorkflowDefinition } from "./workflow-definition";
import * as repo from "./workflow-runs.repository";

export interface StartWorkflowRunInput<I> {
  organizationId: string;
  workflow: WorkflowDefinition<I>;
  /**
   * What started the run, e.g. "github:pull_request:acme/api#42:head:1a2b3c". One run per
   * (organization, workflow, key): a redelivered webhook finds the run its first delivery started.
   */
  triggerKey: string;
  /** JSON of at most WORKFLOW_JSON_BYTES_MAX; checked by the workflow's inputSchema when it has one. */
  input: I;
}

export interface StartedWorkflowRun {
  runId: string;
  /** False when a run with this trigger key already existed; then nothing was written. */
  created: boolean;
}

/**
 * Starts a run of `workflow` in the caller's transaction (a withTenant of `organizationId`): the
 * run, a queued row per step, and the `workflow.run_requested` event in the outbox, so the run is
 * executed if and only if the caller's change commits. Idempotent per trigger key: a second call
 * returns the existing run and records no event. Throws validation_failed for a bad key or input.
 */
export async function startWorkflowRun<I>(tx: Tx, start: StartWorkflowRunInput<I>): Promise<StartedWorkflowRun> {
  const { organizationId, workflow, triggerKey } = start;
  if (triggerKey.length === 0 || triggerKey.length > WORKFLOW_TRIGGER_KEY_MAX) {
    throw new AppError("validation_failed", `A trigger key must have 1–${WORKFLOW_TRIGGER_KEY_MAX} characters`, {
      report: false,
    });
  }
  const input = workflow.inputSchema ? workflow.inputSchema.parse(start.input) : start.input;
  const stored = toStoredJson(input, `The input of workflow ${workflow.name}`);
  const runId = randomUUID();
  const created = await repo.insertRunIfAbsent(tx, {
    id: runId,
    organizationId,
    workflow: workflow.name,
    triggerKey,
    input: stored,
  });
  if (!created) {
    const existing = await repo.findRunIdByTrigger(tx, workflow.name, triggerKey);
    if (!existing) throw new Error(`Workflow run ${workflow.name}/${triggerKey} vanished while starting it`);
    return { runId: existing.id, created: false };
  }
  await repo.insertMissingSteps(
    tx,
    organizationId,
    runId,
    workflow.steps.map((step, position) => ({ name: step.name, position })),
  );
  await recordEvent(tx, { type: "workflow.run_requested", organizationId, data: { runId, workflow: workflow.name } });
  return { runId, created: true };
}
