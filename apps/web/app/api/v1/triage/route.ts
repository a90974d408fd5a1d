import { TriagePassageInputSchema } from "@devflow/contracts";
import { handle, readJson } from "@/lib/http";
import { createRateLimiter } from "@/lib/rate-limit";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

// Each triage embeds the passage (and, the first times in a repository, its older issues).
const limiter = createRateLimiter({ limit: 60, windowMs: 60_000, what: "triage requests" });

/**
 * Triage of a passage (a selection in a design doc): the priority, labels and component an issue
 * made of it would get, and the organization's existing issues that already say it. Stores nothing.
 */
export const POST = handle(async (req) => {
  const ctx = await requestContext(req);
  limiter.consume(`${ctx.organizationId}:${ctx.actor.userId}`);
  const input = await readJson(req, TriagePassageInputSchema);
  return (await services()).triage.passage(ctx, input);
});
