import { UpdateProjectInputSchema } from "@devflow/contracts";
import { handle, readJson, routeId } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { projectId: string };

export const GET = handle<Params>(async (req, { params }) => {
  const projectId = routeId((await params).projectId, "Project");
  const ctx = await requestContext(req);
  return (await services()).projects.get(ctx, projectId);
});

export const PATCH = handle<Params>(async (req, { params }) => {
  const projectId = routeId((await params).projectId, "Project");
  const ctx = await requestContext(req);
  const input = await readJson(req, UpdateProjectInputSchema);
  return (await services()).projects.update(ctx, projectId, input);
});

export const DELETE = handle<Params>(async (req, { params }) => {
  const projectId = routeId((await params).projectId, "Project");
  const ctx = await requestContext(req);
  await (await services()).projects.remove(ctx, projectId);
});
