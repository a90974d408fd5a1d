import type { ToolCallContext, ToolDefinition, ToolRegistry, ToolResult } from "@devflow/ai-tools";
import type { Logger } from "@devflow/observability";
import { isAppError, isUuid } from "@devflow/util-core";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { AgentLedger } from "./agent-ledger";
import type { McpCaller } from "./mcp-caller";

export interface ToolCallDeps {
  registry: ToolRegistry;
  ledger: AgentLedger;
  logger: Logger;
}

const schemas = new WeakMap<ToolDefinition, Tool["inputSchema"]>();

/** A registry tool as MCP lists it: its input's JSON Schema and the hints clients show people. */
export function toMcpTool(tool: ToolDefinition): Tool {
  let inputSchema = schemas.get(tool);
  if (!inputSchema) {
    const { $schema: _dialect, ...schema } = z.toJSONSchema(tool.input, {
      io: "input",
      unrepresentable: "any",
    }) as Record<string, unknown>;
    // Every tool's input is a z.object, so this is the object schema MCP requires.
    inputSchema = { ...schema, type: "object" } as Tool["inputSchema"];
    schemas.set(tool, inputSchema);
  }
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema,
    annotations: {
      title: tool.title,
      readOnlyHint: tool.access === "read",
      destructiveHint: tool.destructive ?? false,
      openWorldHint: false,
    },
  };
}

/**
 * One tools/call: runs the tool through the registry (which checks scopes and input), answers with
 * text plus structuredContent, or an `isError` result carrying the machine code, and records the
 * run in the agent ledger. A ledger failure is logged; the caller still gets their result.
 */
export async function callTool(
  deps: ToolCallDeps,
  caller: McpCaller,
  agentName: string,
  name: string,
  args: unknown,
  signal: AbortSignal,
): Promise<CallToolResult> {
  const startedAt = new Date();
  const call: ToolCallContext = {
    ctx: caller.ctx,
    agent: { surface: "mcp", name: agentName },
    signal,
    apiToken: caller.apiToken,
  };
  let result: ToolResult | undefined;
  let failure: { code: string; message: string; details?: unknown } | undefined;
  try {
    result = await deps.registry.call(call, name, args);
  } catch (error) {
    if (isAppError(error) && !error.report) {
      failure = {
        code: error.code,
        message: error.message,
        ...(error.details !== undefined && { details: error.details }),
      };
    } else {
      deps.logger.error({ err: error, tool: name, requestId: caller.ctx.requestId }, "MCP tool failed");
      failure =
        isAppError(error) && error.code !== "internal"
          ? { code: error.code, message: error.message }
          : {
              code: "internal",
              message: `Something went wrong on our side. Quote request id ${caller.ctx.requestId} when reporting it.`,
            };
    }
  }
  await record(deps, caller, agentName, name, args, startedAt, result, failure);
  if (failure) {
    return {
      isError: true,
      content: [{ type: "text", text: `${failure.code}: ${failure.message}` }],
      structuredContent: { error: failure },
    };
  }
  return {
    content: [{ type: "text", text: result!.text }],
    structuredContent: asRecord(result!.output),
  };
}

async function record(
  deps: ToolCallDeps,
  caller: McpCaller,
  agent: string,
  tool: string,
  input: unknown,
  startedAt: Date,
  result: ToolResult | undefined,
  failure: { code: string; message: string } | undefined,
): Promise<void> {
  try {
    await deps.ledger.record(caller.ctx, {
      agent,
      tool: tool.slice(0, 100),
      apiTokenId: caller.tokenId,
      projectId: result?.projectId ?? projectIdOf(input),
      input: input ?? {},
      ...(result && { output: result.output }),
      sources: result?.sources ?? [],
      diff: result?.diff || null,
      status: failure ? "failed" : "succeeded",
      error: failure ? `${failure.code}: ${failure.message}` : null,
      durationMs: Date.now() - startedAt.getTime(),
      startedAt,
    });
  } catch (error) {
    deps.logger.error(
      { err: error, tool, requestId: caller.ctx.requestId },
      "could not record an MCP tool call in the agent ledger",
    );
  }
}

function projectIdOf(input: unknown): string | null {
  const value = typeof input === "object" && input !== null ? (input as { projectId?: unknown }).projectId : undefined;
  return typeof value === "string" && isUuid(value) ? value : null;
}

function asRecord(output: unknown): Record<string, unknown> {
  return typeof output === "object" && output !== null && !Array.isArray(output)
    ? (output as Record<string, unknown>)
    : { result: output };
}
