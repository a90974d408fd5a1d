import { handle, routeId } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { tokenId: string };

export const DELETE = handle<Params>(async (req, { params }) => {
  const tokenId = routeId((await params).tokenId, "SCIM token");
  const ctx = await requestContext(req);
  await (await services()).scimTokens.revoke(ctx, tokenId);
});
