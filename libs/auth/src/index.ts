export { TOKEN_SCOPES } from "./context";
export type { Actor, RequestContext, TokenScope } from "./context";
export { can, scopesAllowedFor } from "./policy";
export type { Action, Resource } from "./policy";
