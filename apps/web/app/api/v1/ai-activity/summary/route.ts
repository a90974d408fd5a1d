import { AiActivitySummaryQuerySchema } from "@devflow/contracts";
import { handle, readQuery } from "@/lib/http";
import { createRateLimiter } from "@/lib/rate-limit";
import { requestContext } from "@/lib/session";
import { activityServices } from "@/modules/ai-activity/activity-services";

// A summary aggregates up to a year of calls; the page asks once per filter change, a script in a loop would not.
const limiter = createRateLimiter({ limit: 60, windowMs: 60_000, what: "AI activity summaries" });

/** Per-day buckets and totals (per model, per tool) over whole UTC days `from` … `to` (exclusive). */
export const GET = handle(async (req) => {
  const ctx = await requestContext(req);
  limiter.consume(`${ctx.organizationId}:${ctx.actor.userId}`);
  const query = readQuery(req, AiActivitySummaryQuerySchema);
  return (await activityServices()).aiActivity.summary(ctx, query);
});
