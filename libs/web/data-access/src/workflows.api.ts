import type { Page, WorkflowRunDto, WorkflowRunStatus, WorkflowRunSummaryDto } from "@devflow/contracts";
import { api, type OrganizationScoped } from "./api";

export interface ListWorkflowRunsArgs extends OrganizationScoped {
  /** Empty or undefined: any status. */
  status?: WorkflowRunStatus | "";
  workflow?: string;
  limit?: number;
}

export interface WorkflowRunArgs extends OrganizationScoped {
  runId: string;
}

const runList = { type: "WorkflowRun" as const, id: "list" };

/**
 * The organization's workflow runs for admins: the list, one run with its steps, and retrying a
 * failed run. Runs change on their own as the worker executes them; the views poll while any is
 * queued or running, and focus and reconnect refetch (set on the api).
 */
const workflowsApi = api.injectEndpoints({
  endpoints: (build) => ({
    listWorkflowRuns: build.infiniteQuery<Page<WorkflowRunSummaryDto>, ListWorkflowRunsArgs, string | null>({
      infiniteQueryOptions: { initialPageParam: null, getNextPageParam: (lastPage) => lastPage.nextCursor },
      query: ({ queryArg: { organizationId, status, workflow, limit }, pageParam }) => ({
        url: "/workflow-runs",
        organizationId,
        params: { cursor: pageParam, limit, status: status || undefined, workflow: workflow || undefined },
      }),
      providesTags: [runList],
    }),
    getWorkflowRun: build.query<WorkflowRunDto, WorkflowRunArgs>({
      query: ({ organizationId, runId }) => ({ url: `/workflow-runs/${encodeURIComponent(runId)}`, organizationId }),
      providesTags: (_data, _error, { runId }) => [{ type: "WorkflowRun", id: runId }],
    }),
    retryWorkflowRun: build.mutation<WorkflowRunDto, WorkflowRunArgs>({
      query: ({ organizationId, runId }) => ({
        url: `/workflow-runs/${encodeURIComponent(runId)}/retry`,
        method: "POST",
        organizationId,
      }),
      invalidatesTags: (_data, _error, { runId }) => [{ type: "WorkflowRun", id: runId }, runList],
    }),
  }),
});

export const { useGetWorkflowRunQuery, useListWorkflowRunsInfiniteQuery, useRetryWorkflowRunMutation } = workflowsApi;
