import type { RequestContext } from "@devflow/auth";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { AppError } from "@devflow/util-core";

/** Who sent one /mcp request: the API token's context, the token itself (for live edits) and its id. */
export interface McpCaller {
  ctx: RequestContext;
  apiToken: string;
  tokenId: string;
}

/*
 * The SDK hands handlers the `AuthInfo` object the request carried (`req.auth`), untouched; the
 * caller rides along keyed by that object, so each request's handlers see that request's
 * authentication, never the session's first one.
 */
const callers = new WeakMap<AuthInfo, McpCaller>();

export function authInfoFor(caller: McpCaller): AuthInfo {
  const via = caller.ctx.actor.via;
  const info: AuthInfo = {
    token: caller.apiToken,
    clientId: caller.tokenId,
    scopes: via?.kind === "api_token" ? [...via.scopes] : [],
  };
  callers.set(info, caller);
  return info;
}

export function callerOf(extra: { authInfo?: AuthInfo }): McpCaller {
  const caller = extra.authInfo && callers.get(extra.authInfo);
  // Every /mcp request is authenticated before it reaches the transport; getting here without is wiring.
  if (!caller) throw new AppError("internal", "An MCP request reached a handler without its caller");
  return caller;
}
