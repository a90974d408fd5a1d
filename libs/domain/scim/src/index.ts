export { createScimService } from "./scim.service";
export type { ScimService, ScimServiceOptions } from "./scim.service";
export { createScimTokensService } from "./scim-tokens.service";
export type { ScimPrincipal, ScimTokensService, ScimTokensServiceOptions } from "./scim-tokens.service";
export type { ScimContext } from "./scim-users";
export type { ScimGroupReadOptions } from "./scim-groups";
export { excludesMembers } from "./scim-groups";
export { parseScimToken, SCIM_TOKEN_PREFIX } from "./scim-token";
export { resourceTypes, schemas, serviceProviderConfig } from "./scim-discovery";
