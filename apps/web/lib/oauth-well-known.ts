import type { IncomingMessage, ServerResponse } from "node:http";
import { authorizationServerMetadata, OAUTH_PATHS } from "@devflow/domain-oauth";
import type { WebConfig } from "@devflow/util-config";

/*
 * The parts of the OAuth authorization server that server.ts answers before Next sees the request:
 * Next's app directory does not route folders whose names start with a dot, so the RFC 8414 metadata
 * is served here, like the JWKS.
 */

/** Metadata changes only with a deploy; a short cache spares clients a round trip per connection. */
const METADATA_MAX_AGE_SECONDS = 5 * 60;

/**
 * MCP clients may run in a browser on any origin and send `MCP-Protocol-Version` with discovery
 * requests, which makes even a GET preflighted. The document is public, so any origin may read it.
 */
const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, HEAD, OPTIONS",
  "access-control-allow-headers": "mcp-protocol-version, content-type, authorization",
  "access-control-max-age": "86400",
};

/**
 * Answers `/.well-known/oauth-authorization-server` (GET, HEAD, OPTIONS) and returns true, or returns
 * false for any other request. Also forbids framing the consent page (clickjacking an Approve click).
 */
export function handleOAuthServerRequest(
  req: IncomingMessage,
  res: ServerResponse,
  config: Pick<WebConfig, "PUBLIC_URL">,
): boolean {
  const pathname = req.url?.split("?")[0];
  if (pathname === OAUTH_PATHS.authorize) {
    res.setHeader("x-frame-options", "DENY");
    res.setHeader("content-security-policy", "frame-ancestors 'none'");
    return false;
  }
  if (pathname !== OAUTH_PATHS.metadata) return false;
  if (req.method === "OPTIONS") {
    res.writeHead(204, CORS_HEADERS).end();
    return true;
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.writeHead(405, { ...CORS_HEADERS, allow: "GET, HEAD, OPTIONS" }).end();
    return true;
  }
  const body = JSON.stringify(authorizationServerMetadata(config.PUBLIC_URL));
  res
    .writeHead(200, {
      ...CORS_HEADERS,
      "content-type": "application/json; charset=utf-8",
      "cache-control": `public, max-age=${METADATA_MAX_AGE_SECONDS}`,
    })
    .end(req.method === "HEAD" ? undefined : body);
  return true;
}
