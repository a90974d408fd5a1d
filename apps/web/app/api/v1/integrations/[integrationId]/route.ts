import { handle, routeId } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { integrationId: string };

/** Disconnects an integration (admins): its secrets are deleted with it. */
export const DELETE = handle<Params>(async (req, { params }) => {
  const integrationId = routeId((await params).integrationId, "Integration");
  const ctx = await requestContext(req);
  await (await services()).integrations.disconnect(ctx, integrationId);
});
