/*
 * Where the SAML bridge answers, shared by the server (which configures Jackson with them) and the
 * SSO settings page (which shows admins what to paste into their IdP), so the two cannot drift.
 */

/** The Assertion Consumer Service: where IdPs POST their SAMLResponse. */
export const SAML_ACS_PATH = "/api/oauth/saml";
export const SAML_AUTHORIZE_PATH = "/api/oauth/authorize";
export const SAML_TOKEN_PATH = "/api/oauth/token";
export const SAML_USERINFO_PATH = "/api/oauth/userinfo";

/** What an IdP needs to know about DevFlow as a SAML service provider. */
export interface SamlServiceProvider {
  acsUrl: string;
  /** The SP entity ID, which is also the audience every assertion must be addressed to. */
  entityId: string;
}

/** DevFlow's SAML identity at `publicUrl` (PUBLIC_URL, or the page's origin in the browser). */
export function samlServiceProvider(publicUrl: string): SamlServiceProvider {
  const base = publicUrl.replace(/\/+$/, "");
  return { acsUrl: `${base}${SAML_ACS_PATH}`, entityId: base };
}
