import type { Database } from "@devflow/db";
import { createAuthorizationService } from "./authorization.service";
import { createConnectedAppsService } from "./connected-apps.service";
import { createRegistrationService } from "./registration.service";
import { canonicalResource } from "./resources";
import { createTokenService } from "./token.service";

export interface OAuthServiceOptions {
  /**
   * The protected resources (RFC 8707) tokens may be issued for, e.g. the MCP server's URL
   * (MCP_RESOURCE_URL). The first is used when an authorization request names none.
   */
  resources: readonly string[];
  /** The clock, for tests of expiry. */
  now?: () => Date;
}

export type OAuthService = ReturnType<typeof createOAuthService>;

/**
 * DevFlow's OAuth 2.1 authorization server for MCP clients: `registration` (RFC 7591),
 * `authorization` (checking a request, approving it into a code), `tokens` (code exchange with
 * PKCE, refresh rotation, RFC 7009 revocation) and `connectedApps` (a person's grants, for settings).
 */
export function createOAuthService(db: Database, { resources, now = () => new Date() }: OAuthServiceOptions) {
  const canonical = resources.map((raw) => {
    const resource = canonicalResource(raw);
    if (!resource) throw new Error(`OAuth: "${raw}" is not a usable resource URL (absolute http(s), no fragment)`);
    return resource;
  });
  if (canonical.length === 0) throw new Error("OAuth: configure at least one protected resource");
  return {
    registration: createRegistrationService(db, now),
    authorization: createAuthorizationService(db, { resources: canonical, now }),
    tokens: createTokenService(db, now),
    connectedApps: createConnectedAppsService(db, now),
  };
}
