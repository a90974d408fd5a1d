import "server-only";
import { ssoRequirementMet, type RequestContext, type SessionAuth } from "@devflow/auth";
import type { MyOrganizationDto, SessionDto } from "@devflow/contracts";
import type { OrganizationSignInPolicy } from "@devflow/domain-sign-in";
import { AppError, forbidden, isUuid } from "@devflow/util-core";
import type { NextRequest, NextResponse } from "next/server";
import { webConfig } from "./config";
import { contextFromBearer } from "./api-token-auth";
import { ORGANIZATION_HEADER, requestIdOf } from "./http";
import { clientIp } from "./rate-limit";
import { services } from "./services";
import { loadSessionSecret } from "./session-secret";
import { SESSION_TTL_SECONDS, signSessionToken, verifySessionToken, type SessionClaims } from "./session-token";

/*
 * The session: a signed cookie naming the user, the one organization they act in, and how they signed
 * in. next-auth (SSO, GitHub, email links) and development sign-in both end by setting it.
 */
export const SESSION_COOKIE = "devflow_session";

let secret: Promise<Uint8Array> | undefined;
function sessionSecret(): Promise<Uint8Array> {
  secret ??= loadSessionSecret(webConfig()).catch((error: unknown) => {
    secret = undefined;
    throw error;
  });
  return secret;
}

/** The claims of the request's session cookie, or null when there is none or it is not valid. */
export async function readSessionToken(token: string | undefined): Promise<SessionClaims | null> {
  if (!token) return null;
  return verifySessionToken(token, await sessionSecret());
}

export function readSession(req: NextRequest): Promise<SessionClaims | null> {
  return readSessionToken(req.cookies.get(SESSION_COOKIE)?.value);
}

/** The session's claims, or 401. */
export async function requireSession(req: NextRequest): Promise<SessionClaims> {
  const claims = await readSession(req);
  if (!claims) throw unauthenticated();
  return claims;
}

/** Sets the session cookie (HttpOnly, SameSite=Lax, Secure when the public URL is https) on `response`. */
export async function withSession<R extends NextResponse>(response: R, claims: SessionClaims): Promise<R> {
  const token = await signSessionToken(claims, await sessionSecret());
  response.cookies.set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: webConfig().PUBLIC_URL.startsWith("https:"),
    path: "/",
    maxAge: SESSION_TTL_SECONDS,
  });
  return response;
}

export function withoutSession<R extends NextResponse>(response: R): R {
  response.cookies.set(SESSION_COOKIE, "", { httpOnly: true, sameSite: "lax", path: "/", maxAge: 0 });
  return response;
}

/**
 * Who is acting, in which organization, for a REST call: the API token's owner within its scopes, or
 * the session's user in the organization named by `x-organization-id` (the client sends the one in its
 * URL) or else the session's current one. 401 without valid credentials, 403 when the user is not an
 * active member of that organization or it requires an SSO sign-in this session lacks.
 */
export async function requestContext(req: NextRequest): Promise<RequestContext> {
  // An API token, when one is sent, decides alone: a bad token never falls back to the cookie.
  const viaToken = await contextFromBearer(req);
  if (viaToken === "invalid") {
    throw new AppError("unauthenticated", "The API token is not valid: unknown, revoked or expired", { report: false });
  }
  if (viaToken) return { ...viaToken, ipAddress: clientIp(req.headers) };
  const claims = await requireSession(req);
  const organizationId = req.headers.get(ORGANIZATION_HEADER) ?? claims.organizationId;
  if (!organizationId) {
    throw forbidden(`No organization chosen: send ${ORGANIZATION_HEADER} or switch to an organization first`);
  }
  if (!isUuid(organizationId)) {
    throw new AppError("validation_failed", `${ORGANIZATION_HEADER} must be an organization id (a UUID)`, {
      report: false,
    });
  }
  const access = await (await services()).signInPolicy.accessOf(claims.userId, organizationId);
  if (!access) throw forbidden(`You are not a member of organization ${organizationId}`);
  if (!ssoRequirementMet(claims.auth, organizationId, access.policy.enforcesSso)) throw ssoRequired(access.policy);
  return {
    organizationId,
    actor: { userId: claims.userId, role: access.role },
    requestId: requestIdOf(req),
    ipAddress: clientIp(req.headers),
  };
}

/**
 * Refuses a session in an organization that enforces single sign-on unless the session came through
 * that organization's own IdP. `details.reason` is "sso_required" so clients can send people there.
 */
export async function assertSsoSatisfied(auth: SessionAuth, organizationId: string): Promise<void> {
  const policy = await (await services()).signInPolicy.forOrganization(organizationId);
  if (policy && !ssoRequirementMet(auth, organizationId, policy.enforcesSso)) throw ssoRequired(policy);
}

function ssoRequired(policy: OrganizationSignInPolicy): AppError {
  return new AppError("forbidden", `${policy.name} requires signing in with its single sign-on`, {
    report: false,
    details: { reason: "sso_required", organizationId: policy.organizationId, organizationName: policy.name },
  });
}

/**
 * The organization a new session starts in: the one whose IdP the user came through, else the first
 * of theirs that does not demand an SSO sign-in this session lacks. Null when there is none yet.
 */
export async function chooseOrganization(userId: string, auth: SessionAuth): Promise<MyOrganizationDto | null> {
  const s = await services();
  const mine = await s.organizations.listMyOrganizations(userId);
  if (auth.method === "sso") {
    const viaSso = mine.find((o) => o.id === auth.organizationId);
    if (viaSso) return viaSso;
  }
  for (const organization of mine) {
    const policy = await s.signInPolicy.forOrganization(organization.id);
    if (policy && ssoRequirementMet(auth, organization.id, policy.enforcesSso)) return organization;
  }
  return null;
}

/**
 * The signed-in user with their organizations, or null when the user no longer exists. The current
 * organization falls back to the first one when the remembered one is gone (membership removed).
 */
export async function sessionDto(claims: SessionClaims): Promise<SessionDto | null> {
  const { organizations } = await services();
  const user = await organizations.getUser(claims.userId);
  if (!user) return null;
  const mine = await organizations.listMyOrganizations(user.id);
  const current = mine.find((o) => o.id === claims.organizationId) ?? mine[0];
  return { user, organizations: mine, currentOrganizationId: current?.id ?? null };
}

/** Session claims for a development sign-in by email: the first organization that lets them in is current. */
export async function devSignInClaims(email: string): Promise<SessionClaims> {
  const { organizations } = await services();
  const user = await organizations.findUserByEmail(email.trim().toLowerCase());
  if (!user) {
    throw new AppError(
      "unauthenticated",
      `No user has the email ${email}; development sign-in knows seeded users only`,
      {
        report: false,
      },
    );
  }
  const auth = { method: "dev" } as const;
  const organization = await chooseOrganization(user.id, auth);
  return { userId: user.id, organizationId: organization?.id ?? null, auth };
}

export function unauthenticated(): AppError {
  return new AppError("unauthenticated", "You are not signed in", { report: false });
}
