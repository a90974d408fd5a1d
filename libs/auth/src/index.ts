export type { Actor, RequestContext } from "./context";
export { can } from "./policy";
export type { Action } from "./policy";
