import { CreateApiTokenInputSchema, ListApiTokensQuerySchema } from "@devflow/contracts";
import { created, handle, readJson, readQuery } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

export const GET = handle(async (req) => {
  const ctx = await requestContext(req);
  const query = readQuery(req, ListApiTokensQuerySchema);
  return (await services()).apiTokens.list(ctx, query);
});

/** The answer carries the token itself; it is never shown again. */
export const POST = handle(async (req) => {
  const ctx = await requestContext(req);
  const input = await readJson(req, CreateApiTokenInputSchema);
  return created(await (await services()).apiTokens.create(ctx, input));
});
