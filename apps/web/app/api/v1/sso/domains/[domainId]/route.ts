import { handle, routeId } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { domainId: string };

export const DELETE = handle<Params>(async (req, { params }) => {
  const domainId = routeId((await params).domainId, "Domain");
  const ctx = await requestContext(req);
  await (await services()).sso.removeDomain(ctx, domainId);
});
