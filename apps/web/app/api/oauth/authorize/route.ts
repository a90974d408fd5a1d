import type { OAuthReq } from "@boxyhq/saml-jackson";
import type { NextRequest } from "next/server";
import { isJacksonError, noStore, queryFields, seeOther } from "@/lib/auth/saml-http";
import { samlBridge } from "@/lib/auth/saml-jackson";
import { requestIdOf, toErrorResponse } from "@/lib/http";
import { webLogger } from "@/lib/logger";
import { clientIp, createRateLimiter } from "@/lib/rate-limit";

// Each call stores a pending sign-in until it expires; a person starts a handful, not hundreds.
const limiter = createRateLimiter({ limit: 30, windowMs: 60_000 });

/** OAuth authorize for SAML connections: next-auth sends the browser here, Jackson sends it on to the IdP. */
export async function GET(req: NextRequest): Promise<Response> {
  try {
    limiter.consume(clientIp(req.headers));
    const { oauth } = await samlBridge();
    const result = await oauth.authorize(queryFields(req) as unknown as OAuthReq);
    if (result.authorize_form) {
      return noStore(new Response(result.authorize_form, { headers: { "content-type": "text/html; charset=utf-8" } }));
    }
    if (result.redirect_url)
      return noStore(new Response(null, { status: 302, headers: { location: result.redirect_url } }));
    return seeOther("/sign-in?error=OAuthSignin");
  } catch (error) {
    if (!isJacksonError(error)) return toErrorResponse(error, { requestId: requestIdOf(req), logger: webLogger() });
    webLogger().warn({ detail: error.message, status: error.statusCode }, "saml sign-in: authorize refused");
    return seeOther("/sign-in?error=OAuthSignin");
  }
}
