import { DevSignInInputSchema } from "@devflow/contracts";
import { notFound } from "@devflow/util-core";
import { NextResponse } from "next/server";
import { webConfig } from "@/lib/config";
import { handle, readJson } from "@/lib/http";
import { clientIp, createRateLimiter } from "@/lib/rate-limit";
import { devSignInClaims, sessionDto, withSession } from "@/lib/session";

// Generous: the e2e suite signs in hundreds of times from one address.
const limiter = createRateLimiter({ limit: 600, windowMs: 60_000 });

/** Development only: sign in as an existing user by email. 404 unless DEVFLOW_DEV_SIGN_IN is on. */
export const POST = handle(async (req) => {
  if (!webConfig().DEVFLOW_DEV_SIGN_IN) throw notFound("Route", "POST /api/v1/session/dev-sign-in");
  limiter.consume(clientIp(req.headers));
  const { email } = await readJson(req, DevSignInInputSchema);
  const claims = await devSignInClaims(email);
  return withSession(NextResponse.json(await sessionDto(claims)), claims);
});
