import { OAuthRevocationRequestSchema } from "@devflow/contracts";
import type { NextRequest } from "next/server";
import {
  OAUTH_CORS_HEADERS,
  oauthErrorResponse,
  oauthService,
  preflight,
  readForm,
  withBasicClientId,
} from "@/lib/oauth-http";
import { clientIp, createRateLimiter } from "@/lib/rate-limit";

const limiter = createRateLimiter({ limit: 60, windowMs: 60_000, what: "revocation requests" });

/**
 * Token revocation (RFC 7009): 200 whether or not the token was valid (§2.2), so the answer never
 * says which tokens exist. A refresh token ends its whole grant; an access token only itself.
 */
export async function POST(req: NextRequest): Promise<Response> {
  try {
    limiter.consume(clientIp(req.headers));
    const input = OAuthRevocationRequestSchema.parse(withBasicClientId(req, await readForm(req)));
    await (await oauthService()).tokens.revoke(input);
    return new Response(null, { status: 200, headers: { ...OAUTH_CORS_HEADERS, "cache-control": "no-store" } });
  } catch (error) {
    return oauthErrorResponse(req, error);
  }
}

export const OPTIONS = preflight;
