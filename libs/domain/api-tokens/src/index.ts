export { createApiTokensService } from "./api-tokens.service";
export type { ApiTokensService, ApiTokensServiceOptions } from "./api-tokens.service";
