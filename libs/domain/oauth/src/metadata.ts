import { OAUTH_SCOPES, type AuthorizationServerMetadata } from "@devflow/contracts";

/**
 * Where the authorization server's endpoints live on the web app. Not under /api/oauth: the SAML
 * sign-in bridge (apps/web/lib/auth/saml-paths.ts) already answers /api/oauth/authorize and /token.
 */
export const OAUTH_PATHS = {
  metadata: "/.well-known/oauth-authorization-server",
  authorize: "/oauth/authorize",
  token: "/oauth/token",
  register: "/oauth/register",
  revoke: "/oauth/revoke",
} as const;

/**
 * The authorization server metadata (RFC 8414) for the issuer `publicUrl` — the web app's
 * PUBLIC_URL, which the MCP server names in its protected-resource metadata (RFC 9728).
 */
export function authorizationServerMetadata(publicUrl: string): AuthorizationServerMetadata {
  const issuer = publicUrl.replace(/\/+$/, "");
  return {
    issuer,
    authorization_endpoint: `${issuer}${OAUTH_PATHS.authorize}`,
    token_endpoint: `${issuer}${OAUTH_PATHS.token}`,
    registration_endpoint: `${issuer}${OAUTH_PATHS.register}`,
    revocation_endpoint: `${issuer}${OAUTH_PATHS.revoke}`,
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["none"],
    revocation_endpoint_auth_methods_supported: ["none"],
    scopes_supported: [...OAUTH_SCOPES],
    authorization_response_iss_parameter_supported: true,
  };
}
