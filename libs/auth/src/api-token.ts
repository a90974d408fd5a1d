import { createHash, randomBytes } from "node:crypto";

/**
 * API tokens look like `dfp_<organization id, 32 hex digits>_<32 random bytes, base64url>`.
 * The organization travels in the token so authentication can open that tenant's transaction and
 * look the token up there, instead of searching every organization's tokens.
 */
export const API_TOKEN_PREFIX = "dfp_";

/** Leading characters kept in clear (prefix, organization, a few secret characters) to tell tokens apart. */
export const API_TOKEN_DISPLAY_LENGTH = API_TOKEN_PREFIX.length + 32 + 1 + 8;

const SECRET_BYTES = 32;
const TOKEN_PATTERN = /^dfp_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface GeneratedApiToken {
  /** The token itself: shown to its owner once, never stored. */
  token: string;
  /** SHA-256 of `token`, hex: what the database keeps. */
  hash: string;
  /** The token's first characters, for lists. */
  prefix: string;
}

export interface ParsedApiToken {
  organizationId: string;
  /** SHA-256 of the whole token, hex, for the lookup. */
  hash: string;
}

/** A new token for the organization, with its hash and display prefix. */
export function generateApiToken(organizationId: string): GeneratedApiToken {
  if (!UUID.test(organizationId)) throw new Error("An API token needs an organization id (a UUID)");
  const secret = randomBytes(SECRET_BYTES).toString("base64url");
  const token = `${API_TOKEN_PREFIX}${organizationId.replaceAll("-", "").toLowerCase()}_${secret}`;
  return { token, hash: hashApiToken(token), prefix: token.slice(0, API_TOKEN_DISPLAY_LENGTH) };
}

/**
 * The organization a token names and the hash to look it up by, or null for anything that is not
 * shaped like a DevFlow token. Says nothing about whether the token is valid: only the lookup does.
 */
export function parseApiToken(raw: string): ParsedApiToken | null {
  if (typeof raw !== "string") return null;
  const match = TOKEN_PATTERN.exec(raw);
  if (!match) return null;
  const hex = match[1]!;
  const organizationId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { organizationId, hash: hashApiToken(raw) };
}

/** SHA-256, hex. Tokens carry 256 random bits, so a fast unsalted hash is enough to make a leaked table useless. */
export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
