import { CreateOrganizationInputSchema, type MyOrganizationDto, type Page } from "@devflow/contracts";
import { created, handle, readJson } from "@/lib/http";
import { services } from "@/lib/services";
import { requireSession } from "@/lib/session";

/** The organizations the user belongs to, with their role (one page: nobody is in hundreds). */
export const GET = handle(async (req): Promise<Page<MyOrganizationDto>> => {
  const { userId } = await requireSession(req);
  return { items: await (await services()).organizations.listMyOrganizations(userId), nextCursor: null };
});

/** Creates an organization owned by the user. */
export const POST = handle(async (req) => {
  const { userId } = await requireSession(req);
  const input = await readJson(req, CreateOrganizationInputSchema);
  return created(await (await services()).organizations.createOrganization(userId, input));
});
