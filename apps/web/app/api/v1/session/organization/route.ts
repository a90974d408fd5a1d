import { SwitchOrganizationInputSchema } from "@devflow/contracts";
import { forbidden } from "@devflow/util-core";
import { NextResponse } from "next/server";
import { handle, readJson } from "@/lib/http";
import { services } from "@/lib/services";
import { assertSsoSatisfied, requireSession, sessionDto, withSession } from "@/lib/session";

/** Makes another of the user's organizations the current one. */
export const PUT = handle(async (req) => {
  const claims = await requireSession(req);
  const { organizationId } = await readJson(req, SwitchOrganizationInputSchema);
  const actor = await (await services()).organizations.getActor(claims.userId, organizationId);
  if (!actor) throw forbidden(`You are not a member of organization ${organizationId}`);
  await assertSsoSatisfied(claims.auth, organizationId);
  const next = { ...claims, organizationId };
  return withSession(NextResponse.json(await sessionDto(next)), next);
});
