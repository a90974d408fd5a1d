import { isAppError } from "@devflow/util-core";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { documentTemplate, type createDocumentResources } from "./document-resources";
import { callerOf } from "./mcp-caller";
import { callTool, toMcpTool, type ToolCallDeps } from "./tool-calls";

export interface McpServerDeps extends ToolCallDeps {
  resources: ReturnType<typeof createDocumentResources>;
}

/** JSON-RPC code MCP uses for a resource that does not exist (spec: server/resources, "Error Handling"). */
const RESOURCE_NOT_FOUND = -32002;
const UNKNOWN_CLIENT = "MCP client";

const INSTRUCTIONS = `DevFlow is a team workspace of design docs, RFCs and ADRs.
Find documents with search_docs or list_projects, read one with get_doc (note its version), and change it with edit_doc:
edits are offsets into the text at that version, merged live with what people type meanwhile.`;

/**
 * The MCP server of one session. It uses the SDK's low-level `Server` with our own handlers rather
 * than `McpServer.registerTool`: the registry validates input itself (so a bad call is an isError
 * result with `validation_failed` and the fields, and is recorded in the ledger like any other call),
 * the tool list depends on each request's token scopes, and resources/list pages with a cursor.
 */
export function buildMcpServer(deps: McpServerDeps): Server {
  const server = new Server(
    { name: "devflow", title: "DevFlow", version: "1.0.0" },
    { capabilities: { tools: {}, resources: {} }, instructions: INSTRUCTIONS },
  );
  const agentName = () => server.getClientVersion()?.name?.trim() || UNKNOWN_CLIENT;

  server.setRequestHandler(ListToolsRequestSchema, (_request, extra) => ({
    tools: deps.registry.list(callerOf(extra).ctx, "mcp").map(toMcpTool),
  }));
  server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
    callTool(deps, callerOf(extra), agentName(), request.params.name, request.params.arguments, extra.signal),
  );
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: [documentTemplate] }));
  server.setRequestHandler(ListResourcesRequestSchema, (request, extra) => {
    const { ctx } = callerOf(extra);
    return jsonRpcErrors(deps, ctx.requestId, () => deps.resources.list(ctx, request.params?.cursor));
  });
  server.setRequestHandler(ReadResourceRequestSchema, (request, extra) => {
    const { ctx } = callerOf(extra);
    return jsonRpcErrors(deps, ctx.requestId, () => deps.resources.read(ctx, request.params.uri));
  });
  return server;
}

/**
 * Resource requests answer failures as JSON-RPC errors (tools answer isError results): not found,
 * invalid params, or an internal error that says nothing but the request id (the cause is logged).
 */
async function jsonRpcErrors<T>(
  deps: Pick<McpServerDeps, "logger">,
  requestId: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") throw new McpError(RESOURCE_NOT_FOUND, error.message);
    if (isAppError(error) && !error.report) throw new McpError(ErrorCode.InvalidParams, error.message);
    deps.logger.error({ err: error, requestId }, "MCP resource request failed");
    throw new McpError(
      ErrorCode.InternalError,
      `Something went wrong on our side. Quote request id ${requestId} when reporting it.`,
    );
  }
}
