import { UpdateSsoConnectionInputSchema } from "@devflow/contracts";
import { handle, readJson, routeId } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { connectionId: string };

export const PATCH = handle<Params>(async (req, { params }) => {
  const connectionId = routeId((await params).connectionId, "SSO connection");
  const ctx = await requestContext(req);
  const input = await readJson(req, UpdateSsoConnectionInputSchema);
  return (await services()).sso.updateConnection(ctx, connectionId, input);
});

export const DELETE = handle<Params>(async (req, { params }) => {
  const connectionId = routeId((await params).connectionId, "SSO connection");
  const ctx = await requestContext(req);
  await (await services()).sso.deleteConnection(ctx, connectionId);
});
