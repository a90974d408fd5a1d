import { CreateProjectInputSchema, ListProjectsQuerySchema } from "@devflow/contracts";
import { created, handle, readJson, readQuery } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

export const GET = handle(async (req) => {
  const ctx = await requestContext(req);
  const query = readQuery(req, ListProjectsQuerySchema);
  return (await services()).projects.list(ctx, query);
});

export const POST = handle(async (req) => {
  const ctx = await requestContext(req);
  const input = await readJson(req, CreateProjectInputSchema);
  return created(await (await services()).projects.create(ctx, input));
});
