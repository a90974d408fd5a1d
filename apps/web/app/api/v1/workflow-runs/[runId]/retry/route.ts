import type { WorkflowRunDto } from "@devflow/contracts";
import { handle, routeId } from "@/lib/http";
import { createRateLimiter } from "@/lib/rate-limit";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { runId: string };

const retryLimiter = createRateLimiter({ limit: 300, windowMs: 60_000 });

/** Runs a failed workflow run again from the step that failed (admins); answers the run, queued again. */
export const POST = handle<Params>(async (req, { params }): Promise<WorkflowRunDto> => {
  const runId = routeId((await params).runId, "Workflow run");
  const ctx = await requestContext(req);
  retryLimiter.consume(ctx.organizationId);
  return (await services()).workflowRuns.retry(ctx, runId);
});
