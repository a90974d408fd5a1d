import { randomUUID } from "node:crypto";
import type { ToolRegistry } from "@devflow/ai-tools";
import type { RequestContext } from "@devflow/auth";
import type { Logger } from "@devflow/observability";
import { REQUEST_ID_HEADER } from "@devflow/observability";
import type { ServiceApp } from "@devflow/observability/service";
import { AppError } from "@devflow/util-core";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AgentLedger } from "./agent-ledger";
import { buildMcpServer } from "./build-mcp-server";
import { createDocumentResources, type DocumentResourceServices } from "./document-resources";
import { authInfoFor, type McpCaller } from "./mcp-caller";
import { createMcpSessions, MCP_SESSION_LIMITS, type McpSessionLimits } from "./mcp-sessions";
import {
  bearerChallenge,
  mcpResourceUrl,
  PROTECTED_RESOURCE_PATHS,
  protectedResourceMetadata,
} from "./protected-resource";
import { createKeyedRateLimit, type RateLimitOptions } from "./rate-limit";

/** A tool call may carry a document's worth of text (1 MB) plus JSON escaping. */
export const MCP_BODY_LIMIT_BYTES = 4 * 1024 * 1024;
/** Per API token: bursts of 60 requests, 2 a second sustained. */
const MCP_RATE_LIMIT: RateLimitOptions = { burst: 60, perSecond: 2 };
const SESSION_HEADER = "mcp-session-id";

export interface McpDeps extends DocumentResourceServices {
  registry: ToolRegistry;
  ledger: AgentLedger;
  /** The API token's context, or null (`apiTokens.authenticate`); `resource` is this server's /mcp URL. */
  authenticate(token: string, requestId: string, options: { resource: string }): Promise<RequestContext | null>;
  /** AI_PUBLIC_URL. */
  publicUrl: string;
  /** The web app's PUBLIC_URL, which issues tokens for /mcp. */
  authorizationServer: string;
  logger: Logger;
  sessionLimits?: McpSessionLimits;
  rateLimit?: RateLimitOptions;
}

const callers = new WeakMap<FastifyRequest, McpCaller>();

/**
 * The MCP server at `/mcp` (Streamable HTTP, JSON responses), for external agents acting with a
 * person's API token (`Authorization: Bearer dfp_…`), and its RFC 9728 metadata. Returns what to
 * call on shutdown.
 */
export function registerMcp(app: ServiceApp, deps: McpDeps): { close(): Promise<void> } {
  const resource = mcpResourceUrl(deps.publicUrl);
  const sessions = createMcpSessions(deps.sessionLimits ?? MCP_SESSION_LIMITS);
  const limiter = createKeyedRateLimit(deps.rateLimit ?? MCP_RATE_LIMIT);
  const resources = createDocumentResources(deps);
  const metadata = protectedResourceMetadata({
    publicUrl: deps.publicUrl,
    authorizationServer: deps.authorizationServer,
  });

  for (const path of PROTECTED_RESOURCE_PATHS) app.get(path, async () => metadata);

  /** Runs before the body is read: no token, no parsing; over the limit, no work. */
  const authenticate = async (request: FastifyRequest, reply: FastifyReply) => {
    const token = /^Bearer[ ]+(\S+)\s*$/i.exec(request.headers.authorization ?? "")?.[1];
    if (!token) {
      reply.header("www-authenticate", bearerChallenge(deps.publicUrl));
      throw new AppError("unauthenticated", "Send an API token as Authorization: Bearer dfp_…", { report: false });
    }
    const ctx = await deps.authenticate(token, request.id, { resource });
    const via = ctx?.actor.via;
    if (!ctx || via?.kind !== "api_token") {
      const description = "The token is unknown, revoked or expired";
      reply.header("www-authenticate", bearerChallenge(deps.publicUrl, { code: "invalid_token", description }));
      throw new AppError("unauthenticated", description, { report: false });
    }
    const wait = limiter.take(via.tokenId);
    if (wait > 0) {
      reply.header("retry-after", String(wait));
      throw new AppError("rate_limited", `Too many MCP requests with this token; retry in ${wait} s`, {
        report: false,
      });
    }
    callers.set(request, { ctx: { ...ctx, ipAddress: request.ip }, apiToken: token, tokenId: via.tokenId });
  };

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    const caller = callers.get(request)!;
    const sessionId = request.headers[SESSION_HEADER];
    let transport: StreamableHTTPServerTransport;
    if (typeof sessionId === "string") {
      const session = sessions.use(sessionId, caller.tokenId);
      // Unknown, expired or another token's: 404 tells the client to initialize a new session.
      if (!session) return reply.code(404).send(jsonRpcError(-32001, "Session not found; initialize a new one"));
      transport = session.transport;
    } else if (request.method === "POST" && isInitializeRequest(request.body)) {
      transport = openSession(caller.tokenId);
    } else {
      return reply.code(400).send(jsonRpcError(-32000, `Send ${SESSION_HEADER}, or initialize a session first`));
    }
    // The transport writes the response itself; keep the request id on it as on every other route.
    reply.raw.setHeader(REQUEST_ID_HEADER, request.id);
    reply.hijack();
    const raw = Object.assign(request.raw, { auth: authInfoFor(caller) });
    try {
      await transport.handleRequest(raw, reply.raw, request.body);
    } catch (error) {
      request.log.error({ err: error }, "MCP transport failed");
      if (!reply.raw.headersSent) reply.raw.writeHead(500, { "content-type": "application/json" });
      reply.raw.end(JSON.stringify(jsonRpcError(-32603, `Internal error; quote request id ${request.id}`)));
    }
  };

  const openSession = (tokenId: string): StreamableHTTPServerTransport => {
    const server = buildMcpServer({ registry: deps.registry, ledger: deps.ledger, logger: deps.logger, resources });
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      enableJsonResponse: true,
      onsessioninitialized: (id) => sessions.add({ id, tokenId, server, transport }),
      onsessionclosed: (id) => sessions.forget(id),
    });
    transport.onerror = (error) => deps.logger.warn({ err: error }, "MCP transport error");
    void server.connect(transport);
    return transport;
  };

  app.route({
    method: ["POST", "DELETE"],
    url: "/mcp",
    bodyLimit: MCP_BODY_LIMIT_BYTES,
    onRequest: authenticate,
    handler: handle,
  });
  // Nothing is pushed to clients outside a request, so there is no stream to hold open (spec: 405).
  app.get("/mcp", { onRequest: authenticate }, async (_request, reply) =>
    reply
      .code(405)
      .header("allow", "POST, DELETE")
      .send(jsonRpcError(-32000, "This server does not stream; POST requests")),
  );

  return { close: () => sessions.closeAll() };
}

function jsonRpcError(code: number, message: string) {
  return { jsonrpc: "2.0", error: { code, message }, id: null };
}
