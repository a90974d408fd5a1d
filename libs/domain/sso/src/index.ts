export { emailDomain, normalizeDomain } from "./domain-name";
export { roleFromGroups } from "./role-mapping";
export { createSsoService } from "./sso.service";
export type { SsoService } from "./sso.service";
export type { SsoLogger, SsoServiceOptions } from "./sso-options";
export type {
  OidcClientConfig,
  ProvisionedMember,
  SamlConnectionConfig,
  SsoDiscovery,
  SsoEnforcingOrganization,
  SsoProfile,
} from "./sign-in.service";
