import { DoraMetricsQuerySchema } from "@devflow/contracts";
import { handle, readQuery, routeId } from "@/lib/http";
import { createRateLimiter } from "@/lib/rate-limit";
import { requestContext } from "@/lib/session";
import { doraService } from "@/modules/delivery/dora-services";

type Params = { projectId: string };

// One answer reads up to a year of a project's deployments, pull requests and incidents; the page
// asks once per window change, a script in a loop would not.
const limiter = createRateLimiter({ limit: 60, windowMs: 60_000, what: "DORA metrics" });

/** The project's DORA metrics over whole UTC days `from` … `to` (exclusive) of one environment (production). */
export const GET = handle<Params>(async (req, { params }) => {
  const projectId = routeId((await params).projectId, "Project");
  const ctx = await requestContext(req);
  limiter.consume(`${ctx.organizationId}:${ctx.actor.userId}`);
  return (await doraService()).metrics(ctx, projectId, readQuery(req, DoraMetricsQuerySchema));
});
