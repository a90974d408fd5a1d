import { CreateApiTokenInputSchema, ListApiTokensQuerySchema } from "@devflow/contracts";
import { created, handle, readJson, readQuery } from "@/lib/http";
import { createRateLimiter } from "@/lib/rate-limit";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

export const GET = handle(async (req) => {
  const ctx = await requestContext(req);
  const query = readQuery(req, ListApiTokensQuerySchema);
  return (await services()).apiTokens.list(ctx, query);
});

// Minting credentials is rare for a person; a burst means a script gone wrong or an attacker.
const createLimiter = createRateLimiter({ limit: 20, windowMs: 60 * 60_000 });

/** The answer carries the token itself; it is never shown again. */
export const POST = handle(async (req) => {
  const ctx = await requestContext(req);
  createLimiter.consume(`${ctx.organizationId}:${ctx.actor.userId}`);
  const input = await readJson(req, CreateApiTokenInputSchema);
  return created(await (await services()).apiTokens.create(ctx, input));
});
