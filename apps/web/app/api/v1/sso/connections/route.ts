import { CreateSsoConnectionInputSchema } from "@devflow/contracts";
import { created, handle, readJson } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

export const GET = handle(async (req) => {
  const ctx = await requestContext(req);
  return (await services()).sso.listConnections(ctx);
});

export const POST = handle(async (req) => {
  const ctx = await requestContext(req);
  const input = await readJson(req, CreateSsoConnectionInputSchema);
  return created(await (await services()).sso.createConnection(ctx, input));
});
