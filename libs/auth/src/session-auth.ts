/**
 * How a browser session was established. Kept in the session so an organization that enforces
 * single sign-on can refuse sessions that did not come through its own identity provider.
 */
export type SessionAuth =
  | { method: "sso"; organizationId: string; connectionId: string }
  | { method: "email" }
  | { method: "github" }
  | { method: "dev" };

export const SESSION_AUTH_METHODS = ["sso", "email", "github", "dev"] as const;

/**
 * Whether a session may act in an organization, as far as single sign-on goes: always when the
 * organization does not enforce it, otherwise only a session from one of that organization's own
 * connections — a sign-in through another organization's IdP does not count.
 */
export function ssoRequirementMet(auth: SessionAuth, organizationId: string, enforcesSso: boolean): boolean {
  if (!enforcesSso) return true;
  return auth.method === "sso" && auth.organizationId === organizationId;
}
