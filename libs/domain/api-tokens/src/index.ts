export { createApiTokensService } from "./api-tokens.service";
export type { ApiTokensService, ApiTokensServiceOptions, AuthenticateOptions } from "./api-tokens.service";
