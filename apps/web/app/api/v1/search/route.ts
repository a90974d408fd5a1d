import { SearchQuerySchema } from "@devflow/contracts";
import { handle, readQuery } from "@/lib/http";
import { createRateLimiter } from "@/lib/rate-limit";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

// Each search embeds the query and ranks passages; the search box debounces typing, so a person stays
// well under this, while a script hammering the endpoint does not.
const limiter = createRateLimiter({ limit: 120, windowMs: 60_000, what: "searches" });

/** Documents and passages matching `q` that the caller may read, best first, grouped per document. */
export const GET = handle(async (req) => {
  const ctx = await requestContext(req);
  limiter.consume(`${ctx.organizationId}:${ctx.actor.userId}`);
  const query = readQuery(req, SearchQuerySchema);
  return (await services()).search.search(ctx, query);
});
