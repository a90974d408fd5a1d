import { SetProjectAccessInputSchema } from "@devflow/contracts";
import { handle, readJson, routeId } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { projectId: string };

export const GET = handle<Params>(async (req, { params }) => {
  const projectId = routeId((await params).projectId, "Project");
  const ctx = await requestContext(req);
  return (await services()).projects.getAccess(ctx, projectId);
});

export const PUT = handle<Params>(async (req, { params }) => {
  const projectId = routeId((await params).projectId, "Project");
  const ctx = await requestContext(req);
  const input = await readJson(req, SetProjectAccessInputSchema);
  return (await services()).projects.setAccess(ctx, projectId, input);
});
