import { handle, routeId } from "@/lib/http";
import { requestContext } from "@/lib/session";
import { activityServices } from "@/modules/ai-activity/activity-services";

type Params = { executionId: string };

/** One tool run in full: input, output, sources, diff. */
export const GET = handle<Params>(async (req, { params }) => {
  const executionId = routeId((await params).executionId, "Agent execution");
  const ctx = await requestContext(req);
  return (await activityServices()).agentLedger.get(ctx, executionId);
});
