import { ListAiActivityQuerySchema } from "@devflow/contracts";
import { handle, readQuery } from "@/lib/http";
import { requestContext } from "@/lib/session";
import { activityServices } from "@/modules/ai-activity/activity-services";

/** AI calls the caller may see, newest first: filters `projectId`, `surface`, `model`, `status`, `userId`, `from`, `to`. */
export const GET = handle(async (req) => {
  const ctx = await requestContext(req);
  const query = readQuery(req, ListAiActivityQuerySchema);
  return (await activityServices()).aiActivity.list(ctx, query);
});
