import { OAuthConsentDecisionSchema, type OAuthAuthorizationParams } from "@devflow/contracts";
import { authorizationResponseUrl, isOAuthError } from "@devflow/domain-oauth";
import { AppError, isAppError } from "@devflow/util-core";
import type { NextRequest } from "next/server";
import { assertSameSite, requestIdOf, toErrorResponse } from "@/lib/http";
import { webLogger } from "@/lib/logger";
import { consentContext, OAuthConsentError, oauthIssuer, oauthService, readForm } from "@/lib/oauth-http";
import { clientIp, createRateLimiter } from "@/lib/rate-limit";
import {
  authorizePagePath,
  CONSENT_ERROR_PARAM,
  readAuthorizationParams,
  type ConsentErrorReason,
} from "../authorize-params";

const limiter = createRateLimiter({ limit: 30, windowMs: 60_000, what: "consent answers" });

/**
 * The consent form's answer. The authorization request travels with it and is checked again, so
 * nothing the page showed is trusted. Same-site only (the session cookie is SameSite=Lax and the
 * Origin is checked): another site cannot approve an app for someone. Answers with a 303 to the
 * client (code or error) or back to the consent page.
 */
export async function POST(req: NextRequest): Promise<Response> {
  let params: OAuthAuthorizationParams | null = null;
  const backToConsent = (reason: ConsentErrorReason) =>
    seeOther(params ? authorizePagePath(params, { [CONSENT_ERROR_PARAM]: reason }) : "/");
  try {
    assertSameSite(req);
    limiter.consume(clientIp(req.headers));
    const fields = (await readForm(req, ["scopes"])) as Record<string, string | string[]>;
    params = readAuthorizationParams(fields);
    const decision = OAuthConsentDecisionSchema.safeParse(fields);
    if (!params || !decision.success) return backToConsent("malformed");
    const oauth = await oauthService();
    const check = await oauth.authorization.check(params);
    if (!check.ok && check.kind === "show") return seeOther(authorizePagePath(params));
    const iss = oauthIssuer();
    if (!check.ok) {
      const { redirectUri, state, error, description } = check;
      return seeOther(authorizationResponseUrl(redirectUri, { error, error_description: description, state, iss }));
    }
    const { redirectUri, state } = check.request;
    if (decision.data.decision === "deny") {
      const error_description = "The person declined to authorize the app";
      return seeOther(authorizationResponseUrl(redirectUri, { error: "access_denied", error_description, state, iss }));
    }
    if (!decision.data.organization_id) return backToConsent("organization");
    const ctx = await consentContext(req, decision.data.organization_id);
    if (!ctx) return seeOther(`/sign-in?${new URLSearchParams({ next: authorizePagePath(params) })}`);
    const { code } = await oauth.authorization.approve(ctx, check.request, decision.data.scopes);
    return seeOther(authorizationResponseUrl(redirectUri, { code, state, iss }));
  } catch (error) {
    if (params && error instanceof OAuthConsentError) return backToConsent(error.reason);
    if (params && isAppError(error) && error.code === "forbidden") return backToConsent("not_member");
    // Only a form that is not the consent page's (wrong content type, too large) gets here.
    const refusal = isOAuthError(error)
      ? new AppError("validation_failed", error.description, { report: false })
      : error;
    return toErrorResponse(refusal, { requestId: requestIdOf(req), logger: webLogger() });
  }
}

function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });
}
