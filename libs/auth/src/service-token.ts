import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import {
  MemberRoleSchema,
  ServiceTokenAgentSchema,
  type MemberRole,
  type ServiceTokenService,
} from "@devflow/contracts";
import { AppError, isAppError } from "@devflow/util-core";
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from "jose";
import { z } from "zod";

/*
 * Service tokens: short-lived ES256 JWTs the web app mints for a signed-in user so that collab, ai and
 * worker can act for them without sharing a secret. Only web holds the private key; the services
 * verify against its published JWKS, so a compromised service cannot mint tokens for the others.
 */

export const SERVICE_TOKEN_ISSUER = "devflow-web";
export const SERVICE_TOKEN_ALGORITHM = "ES256";
export const SERVICE_TOKEN_TTL_SECONDS = 5 * 60;
export const SERVICE_TOKEN_MAX_TTL_SECONDS = 15 * 60;
/** Allowed clock skew between web and the services. */
export const SERVICE_TOKEN_CLOCK_TOLERANCE_SECONDS = 30;

export const SERVICE_TOKEN_AUDIENCES = ["devflow-collab", "devflow-ai", "devflow-worker"] as const;
export type ServiceTokenAudience = (typeof SERVICE_TOKEN_AUDIENCES)[number];

/** The audience a token for `service` carries: "collab" → "devflow-collab". */
export function serviceTokenAudience(service: ServiceTokenService): ServiceTokenAudience {
  return `devflow-${service}`;
}

/** Who a service token acts for. */
export interface ServiceTokenClaims {
  userId: string;
  organizationId: string;
  role: MemberRole;
  /**
   * The program acting for the user ("Claude via MCP"), when one is: collab shows it in presence.
   * It names who types, never widens what the user may do.
   */
  agent?: string;
}

/** A verified service token: its claims plus what it was minted for and until when. */
export interface ServicePrincipal extends ServiceTokenClaims {
  audience: ServiceTokenAudience;
  expiresAt: Date;
}

export interface SignedServiceToken {
  token: string;
  expiresAt: Date;
}

export interface ServiceTokenSignOptions {
  audience: ServiceTokenAudience;
  /** Default 5 minutes, at most 15. */
  ttlSeconds?: number;
  /** "Now", for tests. */
  now?: Date;
}

export interface ServiceTokenSigner {
  /** The key id in every token's header: the public key's RFC 7638 thumbprint. */
  readonly kid: string;
  sign(claims: ServiceTokenClaims, options: ServiceTokenSignOptions): Promise<SignedServiceToken>;
  /** The public half, as served at /.well-known/jwks.json. */
  publicJwks(): JSONWebKeySet;
}

const ClaimsSchema = z.object({
  userId: z.uuid(),
  organizationId: z.uuid(),
  role: MemberRoleSchema,
  agent: ServiceTokenAgentSchema.optional(),
});

/**
 * Builds the signer from an ES256 (P-256) private key in PKCS#8 PEM. Throws when the PEM is not one,
 * without echoing it.
 */
export async function createServiceTokenSigner({
  privateKeyPem,
  issuer,
}: {
  privateKeyPem: string;
  issuer: string;
}): Promise<ServiceTokenSigner> {
  const privateKey = importP256PrivateKey(privateKeyPem);
  const { kty, crv, x, y } = createPublicKey(privateKey).export({ format: "jwk" });
  const kid = await calculateJwkThumbprint({ kty, crv, x, y });
  const publicJwk: JWK = { kty, crv, x, y, kid, alg: SERVICE_TOKEN_ALGORITHM, use: "sig" };

  return {
    kid,
    async sign(claims, { audience, ttlSeconds = SERVICE_TOKEN_TTL_SECONDS, now = new Date() }) {
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > SERVICE_TOKEN_MAX_TTL_SECONDS) {
        throw new RangeError(
          `Service token TTL must be a whole number of seconds from 1 to ${SERVICE_TOKEN_MAX_TTL_SECONDS}, got ${ttlSeconds}`,
        );
      }
      const { userId, organizationId, role, agent } = ClaimsSchema.parse(claims);
      const issuedAt = Math.floor(now.getTime() / 1000);
      const expiresAt = issuedAt + ttlSeconds;
      const token = await new SignJWT({ org: organizationId, role, ...(agent !== undefined && { agent }) })
        .setProtectedHeader({ alg: SERVICE_TOKEN_ALGORITHM, typ: "JWT", kid })
        .setIssuer(issuer)
        .setSubject(userId)
        .setAudience(audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(privateKey);
      return { token, expiresAt: new Date(expiresAt * 1000) };
    },
    publicJwks: () => ({ keys: [{ ...publicJwk }] }),
  };
}

function importP256PrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch (error) {
    throw new Error("The service-token private key is not a readable PEM private key", { cause: error });
  }
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    throw new Error("The service-token private key must be an EC P-256 key (ES256)");
  }
  return key;
}

/** A fresh ES256 key pair in PEM (PKCS#8 private, SPKI public), for development and tests. */
export async function generateServiceTokenKeyPair(): Promise<{ privateKeyPem: string; publicKeyPem: string }> {
  const { privateKey, publicKey } = await generateKeyPair(SERVICE_TOKEN_ALGORITHM, { extractable: true });
  return { privateKeyPem: await exportPKCS8(privateKey), publicKeyPem: await exportSPKI(publicKey) };
}

export type ServiceTokenVerifierOptions = { issuer: string } & (
  | {
      /** Where the issuer publishes its keys; fetched on first use, cached, refetched for an unknown kid. */
      jwksUrl: string;
      /** Least time between two fetches (jose's default is 30 s), so junk kids cannot flood the issuer. */
      refetchCooldownMs?: number;
    }
  | { jwks: JSONWebKeySet }
);

export interface ServiceTokenVerifier {
  /**
   * The principal of a valid token for `audience`. Throws AppError "unauthenticated" for any token
   * that is not (expired, tampered with, wrong key, algorithm, issuer or audience, missing claims), and
   * "unavailable" when the issuer's keys cannot be fetched.
   */
  verify(token: string, audience: ServiceTokenAudience): Promise<ServicePrincipal>;
}

const PayloadSchema = z.object({
  sub: z.uuid(),
  org: z.uuid(),
  role: MemberRoleSchema,
  aud: z.enum(SERVICE_TOKEN_AUDIENCES),
  exp: z.number(),
  agent: ServiceTokenAgentSchema.optional(),
});

export function createServiceTokenVerifier(options: ServiceTokenVerifierOptions): ServiceTokenVerifier {
  const keys =
    "jwksUrl" in options ? remoteKeys(options.jwksUrl, options.refetchCooldownMs) : createLocalJWKSet(options.jwks);
  return {
    async verify(token, audience) {
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          algorithms: [SERVICE_TOKEN_ALGORITHM],
          issuer: options.issuer,
          audience,
          clockTolerance: SERVICE_TOKEN_CLOCK_TOLERANCE_SECONDS,
          maxTokenAge: SERVICE_TOKEN_MAX_TTL_SECONDS,
          requiredClaims: ["sub", "org", "role", "exp", "iat"],
        }));
      } catch (error) {
        if (isAppError(error)) throw error;
        throw rejected(describeRejection(error, audience, options.issuer), error);
      }
      const parsed = PayloadSchema.safeParse(payload);
      if (!parsed.success) {
        const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join(".")))].join(", ");
        throw rejected(`Service token has invalid claims: ${fields}`, parsed.error);
      }
      const { sub, org, role, aud, exp, agent } = parsed.data;
      return {
        userId: sub,
        organizationId: org,
        role,
        ...(agent !== undefined && { agent }),
        audience: aud,
        expiresAt: new Date(exp * 1000),
      };
    },
  };
}

/*
 * The remote set, with fetch failures told apart from bad tokens: when web is down or answers junk,
 * callers should see 503 and retry, not be told their token is wrong.
 */
function remoteKeys(jwksUrl: string, cooldownDuration: number | undefined): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(jwksUrl), cooldownDuration === undefined ? {} : { cooldownDuration });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      throw new AppError("unavailable", `Could not load the service-token keys from ${jwksUrl}: ${reasonOf(error)}`, {
        cause: error,
      });
    }
  };
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return "unknown error";
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}

function describeRejection(error: unknown, audience: ServiceTokenAudience, issuer: string): string {
  if (error instanceof errors.JWTExpired) return "Service token has expired; ask the web app for a new one";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === "missing") return `Service token is missing the "${error.claim}" claim`;
    if (error.claim === "aud") return `Service token is not meant for ${audience}`;
    if (error.claim === "iss") return `Service token was not issued by ${issuer}`;
    return `Service token has an invalid "${error.claim}" claim (${error.reason})`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return `Service token must be signed with ${SERVICE_TOKEN_ALGORITHM}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return "Service token signature is not valid";
  if (error instanceof errors.JWKSNoMatchingKey)
    return "Service token was signed with a key the issuer does not publish";
  return "Service token is malformed";
}

function rejected(message: string, cause: unknown): AppError {
  return new AppError("unauthenticated", message, { cause, report: false });
}
