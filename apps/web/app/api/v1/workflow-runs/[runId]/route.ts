import type { WorkflowRunDto } from "@devflow/contracts";
import { handle, routeId } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { runId: string };

/** One workflow run with its steps: inputs, outputs, attempts, timings and errors (admins). */
export const GET = handle<Params>(async (req, { params }): Promise<WorkflowRunDto> => {
  const runId = routeId((await params).runId, "Workflow run");
  const ctx = await requestContext(req);
  return (await services()).workflowRuns.get(ctx, runId);
});
