import { ScimPatchRequestSchema, ScimUserInputSchema } from "@devflow/contracts";
import { readScimBody, scimId, scimRoute } from "@/lib/scim-http";

type Params = { id: string };

export const GET = scimRoute<Params>(async (_req, { scim, services, params }) =>
  services.scim.users.get(scim, scimId(params)),
);

export const PUT = scimRoute<Params>(async (req, { scim, services, params }) => {
  const input = await readScimBody(req, ScimUserInputSchema);
  return services.scim.users.replace(scim, scimId(params), input);
});

export const PATCH = scimRoute<Params>(async (req, { scim, services, params }) => {
  const { Operations } = await readScimBody(req, ScimPatchRequestSchema);
  return services.scim.users.patch(scim, scimId(params), Operations);
});

/** Deactivates the membership (204); the person keeps their DevFlow identity. */
export const DELETE = scimRoute<Params>(async (_req, { scim, services, params }) => {
  await services.scim.users.remove(scim, scimId(params));
});
