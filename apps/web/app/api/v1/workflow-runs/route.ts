import { ListWorkflowRunsQuerySchema, type Page, type WorkflowRunSummaryDto } from "@devflow/contracts";
import { handle, readQuery } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

/** The organization's workflow runs, newest first: filters `status`, `workflow` (admins). */
export const GET = handle(async (req): Promise<Page<WorkflowRunSummaryDto>> => {
  const ctx = await requestContext(req);
  const query = readQuery(req, ListWorkflowRunsQuerySchema);
  return (await services()).workflowRuns.list(ctx, query);
});
