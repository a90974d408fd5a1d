import { CreateInvitationInputSchema, type InvitationDto, type Page } from "@devflow/contracts";
import { created, handle, readJson } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

/** Pending invitations: one page, since an organization has at most PENDING_INVITATIONS_MAX. */
export const GET = handle(async (req): Promise<Page<InvitationDto>> => {
  const ctx = await requestContext(req);
  return { items: await (await services()).invitations.listPending(ctx), nextCursor: null };
});

/** Invites someone by email; the link goes out in the email and is never in the answer. */
export const POST = handle(async (req) => {
  const ctx = await requestContext(req);
  const input = await readJson(req, CreateInvitationInputSchema);
  return created(await (await services()).invitations.create(ctx, input));
});
