import { SetSsoEnforcementInputSchema } from "@devflow/contracts";
import { handle, readJson } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

export const GET = handle(async (req) => {
  const ctx = await requestContext(req);
  return (await services()).sso.getEnforcement(ctx);
});

export const PUT = handle(async (req) => {
  const ctx = await requestContext(req);
  const input = await readJson(req, SetSsoEnforcementInputSchema);
  return (await services()).sso.setEnforced(ctx, input.enforced);
});
