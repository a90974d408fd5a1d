export { runService } from "./run-service";
export type { RunServiceOptions } from "./run-service";
export { requireServiceTokens, servicePrincipal } from "./service-auth";
export type { ServiceAuthOptions } from "./service-auth";
