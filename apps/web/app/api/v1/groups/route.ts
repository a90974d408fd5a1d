import { ListGroupsQuerySchema } from "@devflow/contracts";
import { handle, readQuery } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

export const GET = handle(async (req) => {
  const ctx = await requestContext(req);
  const query = readQuery(req, ListGroupsQuerySchema);
  return (await services()).projects.listGroups(ctx, query);
});
