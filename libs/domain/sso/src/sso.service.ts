import type { Database } from "@devflow/db";
import { createConnectionsService } from "./connections.service";
import { createDomainsService } from "./domains.service";
import { createSignInService } from "./sign-in.service";
import type { SsoServiceOptions } from "./sso-options";

export type SsoService = ReturnType<typeof createSsoService>;

/**
 * Single sign-on for organizations. Admin methods take a RequestContext, need `sso:manage` and run
 * in the tenant's transaction with an audit entry; sign-in methods (discover, enforcedFor,
 * oidcClientConfig, samlConnectionConfig, listEnabledOidcConnectionIds, provision) run before a tenant is known.
 */
export function createSsoService(db: Database, options: SsoServiceOptions) {
  if (options.encryptionKey.length !== 32) throw new Error("The SSO encryption key must be 32 bytes");
  return {
    ...createConnectionsService(db, options),
    ...createDomainsService(db, options),
    ...createSignInService(db, options),
  };
}
