import { CreateScimTokenInputSchema } from "@devflow/contracts";
import { created, handle, readJson } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

export const GET = handle(async (req) => {
  const ctx = await requestContext(req);
  return { items: await (await services()).scimTokens.list(ctx) };
});

/** The answer carries the token itself; it is never shown again. */
export const POST = handle(async (req) => {
  const ctx = await requestContext(req);
  const input = await readJson(req, CreateScimTokenInputSchema);
  return created(await (await services()).scimTokens.create(ctx, input));
});
