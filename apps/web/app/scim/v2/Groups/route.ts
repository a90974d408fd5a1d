import { ScimGroupInputSchema } from "@devflow/contracts";
import { readScimBody, readScimListQuery, scimCreated, scimRoute } from "@/lib/scim-http";

export const GET = scimRoute(async (req, { scim, services }) =>
  services.scim.groups.list(scim, readScimListQuery(req)),
);

export const POST = scimRoute(async (req, { scim, services }) => {
  const input = await readScimBody(req, ScimGroupInputSchema);
  return scimCreated(await services.scim.groups.create(scim, input));
});
