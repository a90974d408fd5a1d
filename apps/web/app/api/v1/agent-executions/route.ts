import { ListAgentExecutionsQuerySchema } from "@devflow/contracts";
import { handle, readQuery } from "@/lib/http";
import { requestContext } from "@/lib/session";
import { activityServices } from "@/modules/ai-activity/activity-services";

/** Tool runs the caller may see, newest first: filters `projectId`, `agent`, `tool`, `status`, `userId`, `from`, `to`. */
export const GET = handle(async (req) => {
  const ctx = await requestContext(req);
  const query = readQuery(req, ListAgentExecutionsQuerySchema);
  return (await activityServices()).agentLedger.list(ctx, query);
});
