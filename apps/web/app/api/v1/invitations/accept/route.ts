import { AcceptInvitationInputSchema } from "@devflow/contracts";
import { handle, readJson } from "@/lib/http";
import { services } from "@/lib/services";
import { requireSession } from "@/lib/session";

/**
 * Accepts an invitation for the signed-in user. Needs a session but no membership: joining is what
 * makes the user a member. The organization comes from the token, never from a header.
 */
export const POST = handle(async (req) => {
  const { userId } = await requireSession(req);
  const { token } = await readJson(req, AcceptInvitationInputSchema);
  return (await services()).invitations.accept(token, userId);
});
