import { handle, routeId } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { invitationId: string };

/** Revokes a pending invitation. */
export const DELETE = handle<Params>(async (req, { params }) => {
  const invitationId = routeId((await params).invitationId, "Invitation");
  const ctx = await requestContext(req);
  await (await services()).invitations.revoke(ctx, invitationId);
});
