import "server-only";
import type { RequestContext } from "@devflow/auth";
import type { SessionDto } from "@devflow/contracts";
import { AppError, forbidden, isUuid } from "@devflow/util-core";
import type { NextRequest, NextResponse } from "next/server";
import { webConfig } from "./config";
import { ORGANIZATION_HEADER, requestIdOf } from "./http";
import { services } from "./services";
import { loadSessionSecret } from "./session-secret";
import { SESSION_TTL_SECONDS, signSessionToken, verifySessionToken, type SessionClaims } from "./session-token";

/*
 * Development sign-in only: a signed cookie naming the user and their current organization. Real SSO
 * (next-auth with OIDC/SAML) replaces how the cookie is obtained, not how requests read it.
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
 * Who is acting, in which organization, for a REST call: the session's user, in the organization named
 * by `x-organization-id` (the client sends the one in its URL) or else the session's current one.
 * 401 without a valid session, 403 when the user is not a member of that organization.
 */
export async function requestContext(req: NextRequest): Promise<RequestContext> {
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
  const actor = await (await services()).organizations.getActor(claims.userId, organizationId);
  if (!actor) throw forbidden(`You are not a member of organization ${organizationId}`);
  return { organizationId, actor, requestId: requestIdOf(req) };
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

/** Session claims for a development sign-in by email: the user's first organization is current. */
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
  const [first] = await organizations.listMyOrganizations(user.id);
  return { userId: user.id, organizationId: first?.id ?? null };
}

export function unauthenticated(): AppError {
  return new AppError("unauthenticated", "You are not signed in", { report: false });
}
