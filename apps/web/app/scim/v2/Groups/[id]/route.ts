import { ScimGroupInputSchema, ScimPatchRequestSchema } from "@devflow/contracts";
import { excludesMembers } from "@devflow/domain-scim";
import { readScimBody, scimId, scimRoute } from "@/lib/scim-http";

type Params = { id: string };

export const GET = scimRoute<Params>(async (req, { scim, services, params }) => {
  const excludeMembers = excludesMembers(new URL(req.url).searchParams.get("excludedAttributes") ?? undefined);
  return services.scim.groups.get(scim, scimId(params), { excludeMembers });
});

export const PUT = scimRoute<Params>(async (req, { scim, services, params }) => {
  const input = await readScimBody(req, ScimGroupInputSchema);
  return services.scim.groups.replace(scim, scimId(params), input);
});

/** 204: Okta and Entra ID expect no body, and a large group's would be costly. */
export const PATCH = scimRoute<Params>(async (req, { scim, services, params }) => {
  const { Operations } = await readScimBody(req, ScimPatchRequestSchema);
  await services.scim.groups.patch(scim, scimId(params), Operations);
});

export const DELETE = scimRoute<Params>(async (_req, { scim, services, params }) => {
  await services.scim.groups.remove(scim, scimId(params));
});
