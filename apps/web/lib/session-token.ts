import type { SessionAuth } from "@devflow/auth";
import { jwtVerify, SignJWT } from "jose";
import { z } from "zod";

/** How long a sign-in lasts. */
export const SESSION_TTL_SECONDS = 30 * 24 * 60 * 60;

// Issuer and audience pin tokens to this use: a service token signed with the same secret is not a session.
const ISSUER = "devflow-web";
const AUDIENCE = "devflow-web/session";

/**
 * What the session cookie says: who is signed in, which organization they act in, and how they
 * signed in (an organization that enforces SSO accepts only sessions from its own IdP).
 */
export interface SessionClaims {
  userId: string;
  organizationId: string | null;
  auth: SessionAuth;
}

const AuthSchema = z.discriminatedUnion("method", [
  z.object({ method: z.literal("sso"), organizationId: z.uuid(), connectionId: z.uuid() }),
  z.object({ method: z.literal("email") }),
  z.object({ method: z.literal("github") }),
  z.object({ method: z.literal("dev") }),
]);

const PayloadSchema = z.object({
  sub: z.uuid(),
  org: z.uuid().nullable(),
  amr: AuthSchema,
});

export interface SignOptions {
  ttlSeconds?: number;
  /** "Now", for tests. */
  now?: Date;
}

/** An HS256 JWT `{ sub: userId, org: organizationId, amr: how they signed in }`, for the session cookie. */
export async function signSessionToken(
  claims: SessionClaims,
  secret: Uint8Array,
  options: SignOptions = {},
): Promise<string> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ org: claims.organizationId, amr: claims.auth })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.ttlSeconds ?? SESSION_TTL_SECONDS))
    .sign(secret);
}

/**
 * The claims of a valid token, or null for anything else — expired, tampered with, signed with another
 * secret or algorithm, or shaped wrong. Callers treat null as "not signed in"; the reason is not theirs.
 */
export async function verifySessionToken(
  token: string,
  secret: Uint8Array,
  options: { now?: Date } = {},
): Promise<SessionClaims | null> {
  try {
    const { payload } = await jwtVerify(token, secret, {
      algorithms: ["HS256"],
      issuer: ISSUER,
      audience: AUDIENCE,
      ...(options.now && { currentDate: options.now }),
    });
    const parsed = PayloadSchema.safeParse(payload);
    if (!parsed.success) return null;
    return { userId: parsed.data.sub, organizationId: parsed.data.org, auth: parsed.data.amr as SessionAuth };
  } catch {
    return null;
  }
}
