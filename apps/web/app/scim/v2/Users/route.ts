import { ScimUserInputSchema } from "@devflow/contracts";
import { readScimBody, readScimListQuery, scimCreated, scimRoute } from "@/lib/scim-http";

export const GET = scimRoute(async (req, { scim, services }) => services.scim.users.list(scim, readScimListQuery(req)));

export const POST = scimRoute(async (req, { scim, services }) => {
  const input = await readScimBody(req, ScimUserInputSchema);
  return scimCreated(await services.scim.users.create(scim, input));
});
