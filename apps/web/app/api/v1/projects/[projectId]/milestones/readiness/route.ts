import { ReleaseReadinessQuerySchema } from "@devflow/contracts";
import { handle, readQuery, routeId } from "@/lib/http";
import { createRateLimiter } from "@/lib/rate-limit";
import { requestContext } from "@/lib/session";
import { releaseReadinessService } from "@/modules/releases/release-services";

type Params = { projectId: string };

// One answer reads the milestone's rows and two DORA windows of history; the page asks once per
// milestone chosen, a script in a loop would not.
const limiter = createRateLimiter({ limit: 60, windowMs: 60_000, what: "Release readiness" });

/** The gates of one milestone (`?milestone=<title>`) of the project: pass, fail or unknown, with their rows. */
export const GET = handle<Params>(async (req, { params }) => {
  const projectId = routeId((await params).projectId, "Project");
  const ctx = await requestContext(req);
  limiter.consume(`${ctx.organizationId}:${ctx.actor.userId}`);
  const { milestone } = readQuery(req, ReleaseReadinessQuerySchema);
  return (await releaseReadinessService()).readiness(ctx, projectId, milestone);
});
