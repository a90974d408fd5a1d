import { randomBytes } from "node:crypto";
import { hashApiToken } from "@devflow/auth";

/*
 * Authorization codes and refresh tokens, like API tokens, name their organization so the token
 * endpoint can open that tenant's transaction and look them up by hash there (see parseApiToken).
 *
 *   dfc_<organization, 32 hex>_<32 random bytes, base64url>                     authorization code
 *   dfr_<organization, 32 hex>_<grant, 32 hex>_<32 random bytes, base64url>    refresh token
 *
 * A refresh token also names its grant. Only the current refresh token's hash is stored, so without
 * the grant id an old, rotated token could not be traced to the grant it came from, and replaying it
 * (the sign of a stolen token, OAuth 2.1 §4.3.1) could not revoke that grant. Grant ids are shown
 * only to the grant's holder and to admins, who may revoke the grant anyway.
 */

const SECRET_BYTES = 32;
const CODE_PATTERN = /^dfc_([0-9a-f]{32})_[A-Za-z0-9_-]{43}$/;
const REFRESH_PATTERN = /^dfr_([0-9a-f]{32})_([0-9a-f]{32})_[A-Za-z0-9_-]{43}$/;

export interface IssuedSecret {
  /** Handed to the client once; never stored. */
  value: string;
  /** SHA-256, hex: what the database keeps. */
  hash: string;
}

export function generateAuthorizationCode(organizationId: string): IssuedSecret {
  const value = `dfc_${hexOf(organizationId)}_${randomSecret()}`;
  return { value, hash: hashApiToken(value) };
}

export function generateRefreshToken(organizationId: string, grantId: string): IssuedSecret {
  const value = `dfr_${hexOf(organizationId)}_${hexOf(grantId)}_${randomSecret()}`;
  return { value, hash: hashApiToken(value) };
}

/** The organization a code names and its hash, or null for anything not shaped like a code. */
export function parseAuthorizationCode(raw: string): { organizationId: string; hash: string } | null {
  const match = CODE_PATTERN.exec(raw);
  if (!match) return null;
  return { organizationId: uuidOf(match[1]!), hash: hashApiToken(raw) };
}

/** The organization and grant a refresh token names and its hash, or null when it is not one. */
export function parseRefreshToken(raw: string): { organizationId: string; grantId: string; hash: string } | null {
  const match = REFRESH_PATTERN.exec(raw);
  if (!match) return null;
  return { organizationId: uuidOf(match[1]!), grantId: uuidOf(match[2]!), hash: hashApiToken(raw) };
}

function randomSecret(): string {
  return randomBytes(SECRET_BYTES).toString("base64url");
}

function hexOf(uuid: string): string {
  return uuid.replaceAll("-", "").toLowerCase();
}

function uuidOf(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
