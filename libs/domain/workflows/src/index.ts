export { retryDelayMs } from "./backoff";
export { startWorkflowRun } from "./start-workflow-run";
export type { StartedWorkflowRun, StartWorkflowRunInput } from "./start-workflow-run";
export { errorMessageOf, toStoredJson } from "./stored-json";
export { DEFAULT_STEP_RETRY, DEFAULT_STEP_TIMEOUT_MS, defineWorkflow } from "./workflow-definition";
export type {
  StepContext,
  StepInputContext,
  StepRetryPolicy,
  WorkflowDefinition,
  WorkflowStep,
} from "./workflow-definition";
export { createWorkflowRunner, DEFAULT_LEASE_MS, WORKFLOW_RUNNER_HANDLER } from "./workflow-runner";
export type { AnyWorkflowDefinition, WorkflowRunnerOptions } from "./workflow-runner";
export { createWorkflowRunsService, getWorkflowRun, listWorkflowRuns, retryWorkflowRun } from "./workflow-runs.service";
export type { WorkflowRunsService } from "./workflow-runs.service";
