import { ChangeMemberRoleInputSchema } from "@devflow/contracts";
import { handle, readJson, routeId } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { userId: string };

export const PATCH = handle<Params>(async (req, { params }) => {
  const userId = routeId((await params).userId, "Member");
  const ctx = await requestContext(req);
  const { role } = await readJson(req, ChangeMemberRoleInputSchema);
  return (await services()).members.changeRole(ctx, userId, role);
});

export const DELETE = handle<Params>(async (req, { params }) => {
  const userId = routeId((await params).userId, "Member");
  const ctx = await requestContext(req);
  await (await services()).members.removeMember(ctx, userId);
});
