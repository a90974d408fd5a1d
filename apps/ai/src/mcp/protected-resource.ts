/*
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) for /mcp, as the MCP authorization spec asks:
 * a client that gets 401 reads `resource_metadata` from WWW-Authenticate, fetches this document and
 * learns which authorization server (the web app) issues tokens for this resource, and which scopes.
 */

export interface ProtectedResourceUrls {
  /** AI_PUBLIC_URL, without a trailing slash. */
  publicUrl: string;
  /** The web app's PUBLIC_URL: the authorization server. */
  authorizationServer: string;
}

/** Where the metadata is served: the well-known root, and the RFC 9728 §3.1 form with the resource's path appended. */
export const PROTECTED_RESOURCE_PATHS = [
  "/.well-known/oauth-protected-resource",
  "/.well-known/oauth-protected-resource/mcp",
];

export function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/** The resource identifier tokens are issued for (RFC 8707): the MCP endpoint's URL. */
export function mcpResourceUrl(publicUrl: string): string {
  return `${withoutTrailingSlash(publicUrl)}/mcp`;
}

export function protectedResourceMetadata({ publicUrl, authorizationServer }: ProtectedResourceUrls) {
  return {
    resource: mcpResourceUrl(publicUrl),
    authorization_servers: [withoutTrailingSlash(authorizationServer)],
    scopes_supported: ["read", "write"],
    bearer_methods_supported: ["header"],
    resource_name: "DevFlow",
  };
}

/** The challenge sent with every 401 from /mcp (RFC 6750 §3, RFC 9728 §5.1). */
export function bearerChallenge(publicUrl: string, error?: { code: "invalid_token"; description: string }): string {
  const metadata = `${withoutTrailingSlash(publicUrl)}${PROTECTED_RESOURCE_PATHS[0]}`;
  const parts = [`resource_metadata="${metadata}"`];
  if (error) parts.push(`error="${error.code}"`, `error_description="${error.description.replaceAll('"', "'")}"`);
  return `Bearer ${parts.join(", ")}`;
}
