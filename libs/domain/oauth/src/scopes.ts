import { scopesAllowedFor } from "@devflow/auth";
import { OAUTH_SCOPES, type MemberRole, type OAuthScope } from "@devflow/contracts";

/**
 * The scopes a space-separated `scope` parameter names (RFC 6749 §3.3), in canonical order, or the
 * unknown ones when there are any. An absent or empty parameter asks for every scope DevFlow offers;
 * the person consenting, and their role, narrow it.
 */
export function parseScopeParam(
  raw: string | undefined,
): { ok: true; scopes: OAuthScope[] } | { ok: false; unknown: string[] } {
  const asked = (raw ?? "").split(" ").filter((s) => s.length > 0);
  if (asked.length === 0) return { ok: true, scopes: [...OAUTH_SCOPES] };
  const unknown = asked.filter((s) => !(OAUTH_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) return { ok: false, unknown: [...new Set(unknown)] };
  return { ok: true, scopes: OAUTH_SCOPES.filter((s) => asked.includes(s)) };
}

/** The OAuth scopes a role may grant: a viewer's apps can only read. */
export function oauthScopesAllowedFor(role: MemberRole): OAuthScope[] {
  const allowed = scopesAllowedFor(role);
  return OAUTH_SCOPES.filter((s) => allowed.includes(s));
}

/**
 * What is actually granted: the ticked scopes the client asked for and the role allows, plus read,
 * which every grant has (an app that can do nothing is no use to anyone).
 */
export function grantedScopes(
  role: MemberRole,
  requested: readonly OAuthScope[],
  chosen: readonly OAuthScope[],
): OAuthScope[] {
  const allowed = oauthScopesAllowedFor(role);
  return OAUTH_SCOPES.filter(
    (s) => s === "read" || (requested.includes(s) && chosen.includes(s) && allowed.includes(s)),
  );
}

/** Stored scopes narrowed to what the role allows now and to the scopes the code still knows. */
export function currentScopes(stored: readonly string[], role: MemberRole): OAuthScope[] {
  const allowed = oauthScopesAllowedFor(role);
  return OAUTH_SCOPES.filter((s) => stored.includes(s) && allowed.includes(s));
}
