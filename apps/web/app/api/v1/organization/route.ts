import { UpdateOrganizationInputSchema } from "@devflow/contracts";
import { handle, readJson } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

/** Renames the organization the request acts in. */
export const PATCH = handle(async (req) => {
  const ctx = await requestContext(req);
  const input = await readJson(req, UpdateOrganizationInputSchema);
  return (await services()).organizations.renameOrganization(ctx, input);
});
