import { createHash, timingSafeEqual } from "node:crypto";

/** RFC 7636 §4.1: 43–128 characters from the unreserved set. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
/** BASE64URL(SHA-256(verifier)) without padding is always 43 characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** True when `challenge` could be an S256 code challenge (what the authorize endpoint accepts). */
export function isS256Challenge(challenge: string): boolean {
  return S256_CHALLENGE.test(challenge);
}

/**
 * PKCE with S256 (RFC 7636 §4.6): does the verifier the token request sends hash to the challenge
 * the authorization request carried? "plain" is not supported (OAuth 2.1 and the MCP spec require
 * S256), so a malformed verifier fails rather than being compared as is.
 */
export function verifyPkceS256(verifier: string, challenge: string): boolean {
  if (!VERIFIER.test(verifier) || !isS256Challenge(challenge)) return false;
  const computed = Buffer.from(createHash("sha256").update(verifier, "ascii").digest("base64url"));
  return timingSafeEqual(computed, Buffer.from(challenge));
}
