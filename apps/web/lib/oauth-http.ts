import "server-only";
import { ssoRequirementMet, type RequestContext } from "@devflow/auth";
import { OAUTH_ERROR_CODES, type OAuthErrorCode, type OAuthErrorResponse } from "@devflow/contracts";
import type { Database } from "@devflow/db";
import {
  createOAuthService,
  isOAuthError,
  OAuthError,
  oauthErrorStatus,
  type OAuthService,
} from "@devflow/domain-oauth";
import { isAppError } from "@devflow/util-core";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { webConfig } from "./config";
import { requestIdOf } from "./http";
import { webLogger } from "./logger";
import { clientIp } from "./rate-limit";
import { database, services } from "./services";
import { readSession } from "./session";

/*
 * The web edge of the OAuth authorization server (libs/domain/oauth): the service over the process's
 * Database, and the wire conventions of the token, registration and revocation endpoints, which are
 * OAuth's (form bodies, `{ error, error_description }`, no-store, open CORS) rather than /api/v1's.
 */

const built = new WeakMap<Database, OAuthService>();

/** The OAuth service, issuing tokens for the MCP server (MCP_RESOURCE_URL). */
export async function oauthService(): Promise<OAuthService> {
  const db = await database();
  let service = built.get(db);
  if (!service) {
    service = createOAuthService(db, { resources: [webConfig().MCP_RESOURCE_URL] });
    built.set(db, service);
  }
  return service;
}

/** The issuer (RFC 8414, RFC 9207): the web app's public URL without a trailing slash. */
export function oauthIssuer(): string {
  return webConfig().PUBLIC_URL.replace(/\/+$/, "");
}

/** Form bodies are a few hundred bytes; anything near this is not a token request. */
const FORM_BODY_LIMIT_BYTES = 16 * 1024;

/**
 * Browser-based MCP clients call these endpoints from their own origin without cookies; they carry no
 * ambient authority (a code, a refresh token or a registration is the credential), so any origin may.
 */
export const OAUTH_CORS_HEADERS: Record<string, string> = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "POST, OPTIONS",
  "access-control-allow-headers": "content-type, authorization, mcp-protocol-version",
  "access-control-max-age": "86400",
};

/** The answer to a CORS preflight. */
export function preflight(): Response {
  return new Response(null, { status: 204, headers: OAUTH_CORS_HEADERS });
}

/** A JSON answer with OAuth's headers: never cached (RFC 6749 §5.1), readable from any origin. */
export function oauthJson(body: unknown, status = 200): Response {
  return Response.json(body, {
    status,
    headers: { ...OAUTH_CORS_HEADERS, "cache-control": "no-store", pragma: "no-cache" },
  });
}

/** Maps anything thrown by an OAuth endpoint to `{ error, error_description }`; unknown errors are logged. */
export function oauthErrorResponse(req: Request, error: unknown): Response {
  if (isOAuthError(error)) {
    const body: OAuthErrorResponse = { error: error.error, error_description: error.description };
    return oauthJson(body, oauthErrorStatus(error.error));
  }
  if (error instanceof z.ZodError) {
    const first = error.issues[0];
    const where = first?.path.join(".") || "body";
    return oauthJson({ error: "invalid_request", error_description: `${where}: ${first?.message ?? "invalid"}` }, 400);
  }
  if (isAppError(error) && error.code === "rate_limited") {
    return oauthJson({ error: "temporarily_unavailable", error_description: error.message }, 429);
  }
  const requestId = requestIdOf(req);
  webLogger().error({ err: error, requestId }, "unhandled error in an OAuth endpoint");
  return oauthJson(
    { error: "server_error", error_description: `Something went wrong on our side (request id ${requestId})` },
    500,
  );
}

/**
 * Reads an `application/x-www-form-urlencoded` body into an object, refusing other content types,
 * oversized bodies, and parameters sent twice (RFC 6749 §3.2). Multi-valued fields listed in
 * `arrays` are kept as arrays.
 */
export async function readForm(req: Request, arrays: readonly string[] = []): Promise<Record<string, unknown>> {
  const contentType = req.headers.get("content-type") ?? "";
  if (!/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
    throw new OAuthError("invalid_request", "Send the body as application/x-www-form-urlencoded");
  }
  if (Number(req.headers.get("content-length") ?? 0) > FORM_BODY_LIMIT_BYTES) {
    throw new OAuthError("invalid_request", "The request body is too large");
  }
  const text = await req.text();
  if (text.length > FORM_BODY_LIMIT_BYTES) throw new OAuthError("invalid_request", "The request body is too large");
  const fields: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (arrays.includes(key)) {
      fields[key] = [...((fields[key] as string[] | undefined) ?? []), value];
    } else if (key in fields) {
      throw new OAuthError("invalid_request", `The parameter ${key.slice(0, 40)} was sent more than once`);
    } else {
      fields[key] = value;
    }
  }
  return fields;
}

/**
 * The form's fields with `client_id` taken from HTTP Basic credentials when the body lacks it: some
 * clients authenticate that way even as public clients (RFC 6749 §2.3.1, an empty password). A
 * client_id in both places must agree.
 */
export function withBasicClientId(req: Request, fields: Record<string, unknown>): Record<string, unknown> {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.headers.get("authorization") ?? "")?.[1];
  if (!basic) return fields;
  const decoded = Buffer.from(basic, "base64").toString("utf8");
  const separator = decoded.indexOf(":");
  let clientId: string;
  try {
    clientId = decodeURIComponent(separator === -1 ? decoded : decoded.slice(0, separator));
  } catch {
    throw new OAuthError("invalid_client", "The Authorization header's client_id is not URL-encoded text");
  }
  if (fields.client_id !== undefined && fields.client_id !== clientId) {
    throw new OAuthError("invalid_client", "client_id in the body and in the Authorization header differ");
  }
  return { ...fields, client_id: clientId };
}

/** True for the RFC error codes, so a redirect never carries anything else in `error`. */
export function isOAuthErrorCode(value: string): value is OAuthErrorCode {
  return (OAUTH_ERROR_CODES as readonly string[]).includes(value);
}

/**
 * The context a signed-in person approves an app in: their session, in the organization they picked
 * on the consent screen. Null when there is no session; forbidden when they are not an active member
 * there or it requires a single sign-on this session lacks (the same rules as requestContext, but the
 * organization comes from the form and an API token is never accepted).
 */
export async function consentContext(req: NextRequest, organizationId: string): Promise<RequestContext | null> {
  const claims = await readSession(req);
  if (!claims) return null;
  const access = await (await services()).signInPolicy.accessOf(claims.userId, organizationId);
  if (!access) throw new OAuthConsentError("not_member");
  if (!ssoRequirementMet(claims.auth, organizationId, access.policy.enforcesSso)) {
    throw new OAuthConsentError("sso_required");
  }
  return {
    organizationId,
    actor: { userId: claims.userId, role: access.role },
    requestId: requestIdOf(req),
    ipAddress: clientIp(req.headers),
  };
}

/** Why the consent form could not be acted on; shown to the person, never sent to the client. */
export class OAuthConsentError extends Error {
  override readonly name = "OAuthConsentError";

  constructor(readonly reason: "not_member" | "sso_required") {
    super(`The consent cannot be given: ${reason}`);
  }
}
