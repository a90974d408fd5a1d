export { TOKEN_SCOPES } from "./context";
export type { Actor, RequestContext, TokenScope } from "./context";
export { can, scopesAllowedFor } from "./policy";
export type { Action, Resource } from "./policy";
export { SESSION_AUTH_METHODS, ssoRequirementMet } from "./session-auth";
export type { SessionAuth } from "./session-auth";
export { API_TOKEN_DISPLAY_LENGTH, API_TOKEN_PREFIX, generateApiToken, hashApiToken, parseApiToken } from "./api-token";
export type { GeneratedApiToken, ParsedApiToken } from "./api-token";
export {
  createServiceTokenSigner,
  createServiceTokenVerifier,
  generateServiceTokenKeyPair,
  SERVICE_TOKEN_ALGORITHM,
  SERVICE_TOKEN_AUDIENCES,
  SERVICE_TOKEN_CLOCK_TOLERANCE_SECONDS,
  SERVICE_TOKEN_ISSUER,
  SERVICE_TOKEN_MAX_TTL_SECONDS,
  SERVICE_TOKEN_TTL_SECONDS,
  serviceTokenAudience,
} from "./service-token";
export type {
  ServicePrincipal,
  ServiceTokenAudience,
  ServiceTokenClaims,
  ServiceTokenSigner,
  ServiceTokenSignOptions,
  ServiceTokenVerifier,
  ServiceTokenVerifierOptions,
  SignedServiceToken,
} from "./service-token";
