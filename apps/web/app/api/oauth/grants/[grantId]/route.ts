import { handle, routeId } from "@/lib/http";
import { oauthService } from "@/lib/oauth-http";
import { requestContext } from "@/lib/session";

/** Disconnects one of the person's apps: its refresh token and access tokens stop working at once. */
export const DELETE = handle<{ grantId: string }>(async (req, { params }) => {
  const grantId = routeId((await params).grantId, "Connected app");
  const ctx = await requestContext(req);
  await (await oauthService()).connectedApps.revoke(ctx, grantId);
});
