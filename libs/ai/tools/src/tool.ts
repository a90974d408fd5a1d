import type { Action, RequestContext } from "@devflow/auth";
import type { z } from "zod";

/**
 * One registry of workspace tools, used by the in-app assistant and by the MCP server alike. A tool
 * is read or write: a token or grant without the write scope never sees write tools.
 */
export type ToolAccess = "read" | "write";

/** Who runs a tool, through what: shown in presence ("Claude via MCP, for Alice") and in the ledger. */
export interface ToolAgent {
  surface: "assistant" | "mcp";
  /** The client's name: the MCP client's `clientInfo.name`, or "DevFlow assistant". */
  name: string;
}

export interface ToolCallContext {
  ctx: RequestContext;
  agent: ToolAgent;
  signal?: AbortSignal;
  /**
   * The caller's own API token, for tools that act through another service on the caller's behalf
   * (`edit_doc` asks the web app for a collab token with it). Never logged, stored or returned.
   */
  apiToken?: string;
}

/** A passage or document a tool read, for citations and the ledger. */
export interface SourceRef {
  documentId: string;
  title: string;
  version: number;
  start?: number;
  end?: number;
}

export interface ToolResult<Output = unknown> {
  /** Structured output (MCP `structuredContent`, the assistant's tool message). */
  output: Output;
  /** The same, as text a model reads. */
  text: string;
  sources: SourceRef[];
  /** For write tools: a unified diff of what changed (or would change, for a proposal). */
  diff?: string;
  /** The project the tool worked in, for the ledger and activity. */
  projectId?: string | null;
}

export interface ToolDefinition<Input = unknown, Output = unknown> {
  name: string;
  title: string;
  /** What the tool does, written for a model choosing between tools. */
  description: string;
  access: ToolAccess;
  /**
   * Where the tool is offered: the assistant proposes edits for the person to accept (`propose_edit`),
   * an MCP client applies them live (`edit_doc`).
   */
  surfaces: readonly ToolAgent["surface"][];
  input: z.ZodType<Input>;
  /**
   * The permission the actor needs to be offered the tool (checked with `can`, so a token's scopes
   * count). Default: `document:read` for read tools, `document:update` for write tools.
   */
  requires?: Action;
  /** MCP's hint that the tool may delete or overwrite what is there (not just add). */
  destructive?: boolean;
  run(call: ToolCallContext, input: Input): Promise<ToolResult<Output>>;
}
