import { createHash, randomBytes } from "node:crypto";

/*
 * `<organization id as 32 hex digits>.<32 random bytes, base64url>`. The organization id lets
 * acceptance run inside that organization's tenant transaction (the invitee is not a member yet, so
 * nothing else names the tenant); the secret is what makes the link unguessable. Only the SHA-256 of
 * the whole token is stored.
 */
const TOKEN = /^([0-9a-f]{32})\.([A-Za-z0-9_-]{43})$/;

export interface InvitationToken {
  token: string;
  tokenHash: string;
}

export function newInvitationToken(organizationId: string): InvitationToken {
  const token = `${organizationId.replaceAll("-", "").toLowerCase()}.${randomBytes(32).toString("base64url")}`;
  return { token, tokenHash: hashInvitationToken(token) };
}

/** The organization a token belongs to and the hash to look it up by, or null when it is malformed. */
export function readInvitationToken(token: string): { organizationId: string; tokenHash: string } | null {
  const match = TOKEN.exec(token.trim());
  if (!match) return null;
  const hex = match[1]!;
  const organizationId = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join(
    "-",
  );
  return { organizationId, tokenHash: hashInvitationToken(token.trim()) };
}

function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
