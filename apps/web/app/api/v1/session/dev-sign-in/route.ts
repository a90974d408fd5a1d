import { DevSignInInputSchema } from "@devflow/contracts";
import { notFound } from "@devflow/util-core";
import { NextResponse } from "next/server";
import { webConfig } from "@/lib/config";
import { handle, readJson } from "@/lib/http";
import { devSignInClaims, sessionDto, withSession } from "@/lib/session";

/** Development only: sign in as an existing user by email. 404 unless DEVFLOW_DEV_SIGN_IN is on. */
export const POST = handle(async (req) => {
  if (!webConfig().DEVFLOW_DEV_SIGN_IN) throw notFound("Route", "POST /api/v1/session/dev-sign-in");
  const { email } = await readJson(req, DevSignInInputSchema);
  const claims = await devSignInClaims(email);
  return withSession(NextResponse.json(await sessionDto(claims)), claims);
});
