import { createHash, randomBytes } from "node:crypto";

/**
 * SCIM tokens look like `dfscim_<organization id, 32 hex digits>_<32 random bytes, base64url>`. The
 * organization travels in the token so authentication opens that tenant's transaction and looks the
 * token up there (RLS applies), instead of searching every organization's tokens.
 */
export const SCIM_TOKEN_PREFIX = "dfscim_";

/** Kept in clear for lists: the prefix, the organization and the first 8 secret characters. */
const DISPLAY_LENGTH = SCIM_TOKEN_PREFIX.length + 32 + 1 + 8;
const SECRET_BYTES = 32;
const TOKEN_PATTERN = /^dfscim_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface GeneratedScimToken {
  /** Shown to the admin once, never stored. */
  token: string;
  /** SHA-256 of `token`, hex: what the database keeps. */
  hash: string;
  prefix: string;
}

export function generateScimToken(organizationId: string): GeneratedScimToken {
  if (!UUID.test(organizationId)) throw new Error("A SCIM token needs an organization id (a UUID)");
  const secret = randomBytes(SECRET_BYTES).toString("base64url");
  const token = `${SCIM_TOKEN_PREFIX}${organizationId.replaceAll("-", "").toLowerCase()}_${secret}`;
  return { token, hash: hashScimToken(token), prefix: token.slice(0, DISPLAY_LENGTH) };
}

/**
 * The organization a token names and the hash to look it up by, or null for anything not shaped
 * like a SCIM token. Says nothing about validity: only the lookup does.
 */
export function parseScimToken(raw: unknown): { organizationId: string; hash: string } | null {
  if (typeof raw !== "string") return null;
  const match = TOKEN_PATTERN.exec(raw);
  if (!match) return null;
  const hex = match[1]!;
  const organizationId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { organizationId, hash: hashScimToken(raw) };
}

/** SHA-256, hex. The token carries 256 random bits, so an unsalted fast hash leaves a leaked table useless. */
export function hashScimToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
