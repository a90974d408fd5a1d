import { OAuthTokenRequestSchema } from "@devflow/contracts";
import { OAuthError } from "@devflow/domain-oauth";
import type { NextRequest } from "next/server";
import { oauthErrorResponse, oauthJson, oauthService, preflight, readForm, withBasicClientId } from "@/lib/oauth-http";
import { clientIp, createRateLimiter } from "@/lib/rate-limit";

// A client exchanges one code per sign-in and refreshes once an hour; this bounds guessing, not use.
const limiter = createRateLimiter({ limit: 60, windowMs: 60_000, what: "token requests" });
const GRANT_TYPES = new Set(["authorization_code", "refresh_token"]);

/** The token endpoint (RFC 6749 §3.2): authorization_code with PKCE, and refresh_token with rotation. */
export async function POST(req: NextRequest): Promise<Response> {
  try {
    limiter.consume(clientIp(req.headers));
    const fields = withBasicClientId(req, await readForm(req));
    if (typeof fields.grant_type !== "string" || !GRANT_TYPES.has(fields.grant_type)) {
      const what = typeof fields.grant_type === "string" ? `"${fields.grant_type.slice(0, 40)}"` : "missing";
      throw new OAuthError("unsupported_grant_type", `grant_type ${what}: use authorization_code or refresh_token`);
    }
    const input = OAuthTokenRequestSchema.parse(fields);
    const { tokens } = await oauthService();
    const issued =
      input.grant_type === "authorization_code"
        ? await tokens.exchangeCode({
            clientId: input.client_id,
            code: input.code,
            redirectUri: input.redirect_uri,
            codeVerifier: input.code_verifier,
            resource: input.resource,
          })
        : await tokens.refresh({
            clientId: input.client_id,
            refreshToken: input.refresh_token,
            scope: input.scope,
            resource: input.resource,
          });
    return oauthJson(issued);
  } catch (error) {
    return oauthErrorResponse(req, error);
  }
}

export const OPTIONS = preflight;
