import { can, type Action, type RequestContext } from "@devflow/auth";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { createTemplatesService } from "@devflow/domain-templates";
import { AppError, forbidden } from "@devflow/util-core";
import type { ToolAgent, ToolCallContext, ToolDefinition, ToolResult } from "./tool";
import type { ToolRegistryDeps, ToolServices } from "./tool-deps";
import { parseToolInput } from "./tool-input";
import { analyzePrTool } from "./tools/analyze-pr";
import { askTool } from "./tools/ask";
import { createDocTool } from "./tools/create-doc";
import { createIssueTool } from "./tools/create-issue";
import { editDocTool } from "./tools/edit-doc";
import { getDocTool } from "./tools/get-doc";
import { getDoraMetricsTool } from "./tools/get-dora-metrics";
import { listProjectsTool } from "./tools/list-projects";
import { proposeEditTool } from "./tools/propose-edit";
import { releaseReadinessTool } from "./tools/release-readiness";
import { searchDocsTool } from "./tools/search-docs";
import { triageIssueTool } from "./tools/triage-issue";

export interface ToolRegistry {
  /** The tools `ctx`'s actor may use on `surface`: write tools only with a role and token scope that allow them. */
  list(ctx: RequestContext, surface: ToolAgent["surface"]): ToolDefinition[];
  /**
   * Runs a tool for the caller. Throws AppError: `not_found` for a tool that does not exist on the
   * caller's surface, `forbidden` for one their role or token scope does not allow, and
   * `validation_failed` (with `details.issues`) for input that does not match the tool's schema;
   * then whatever the tool's services throw (not_found for documents the caller cannot see…).
   */
  call(call: ToolCallContext, name: string, rawInput: unknown): Promise<ToolResult>;
}

/** The permission a tool needs, when it does not say. */
export function requiredAction(tool: Pick<ToolDefinition, "access" | "requires">): Action {
  return tool.requires ?? (tool.access === "write" ? "document:update" : "document:read");
}

/**
 * The one registry of workspace tools, for the in-app assistant and the MCP server alike. Tools
 * are listed explicitly here; edit_doc and ask exist only when their dependencies are given.
 */
export function createToolRegistry(deps: ToolRegistryDeps): ToolRegistry {
  const services: ToolServices = {
    documents: createDocumentsService(deps.db),
    projects: createProjectsService(deps.db),
    templates: createTemplatesService(deps.db),
  };
  const tools: ToolDefinition[] = [
    listProjectsTool(services),
    searchDocsTool(deps),
    getDocTool(services),
    createDocTool(services),
    ...(deps.liveEditor ? [editDocTool(services, deps.liveEditor)] : []),
    proposeEditTool(services),
    ...(deps.answer ? [askTool(deps.answer)] : []),
    ...(deps.embedder ? [triageIssueTool({ db: deps.db, embedder: deps.embedder })] : []),
    getDoraMetricsTool(deps),
    analyzePrTool(deps),
    ...(deps.issuesFromDocs ? [createIssueTool(deps.issuesFromDocs)] : []),
    releaseReadinessTool(deps),
  ];

  return {
    list(ctx, surface) {
      return tools.filter((tool) => tool.surfaces.includes(surface) && can(ctx.actor, requiredAction(tool)));
    },

    async call(call, name, rawInput) {
      const tool = tools.find((t) => t.name === name && t.surfaces.includes(call.agent.surface));
      if (!tool) {
        throw new AppError("not_found", `There is no tool named "${name.slice(0, 64)}"`, { report: false });
      }
      assertAllowed(call.ctx, tool);
      return tool.run(call, parseToolInput(tool, rawInput));
    },
  };
}

function assertAllowed(ctx: RequestContext, tool: ToolDefinition): void {
  const action = requiredAction(tool);
  if (can(ctx.actor, action)) return;
  const { via } = ctx.actor;
  if (via?.kind === "api_token" && can({ ...ctx.actor, via: { kind: "session" } }, action)) {
    throw forbidden(`${tool.name} changes the workspace; this API token has only the ${via.scopes.join(", ")} scope`);
  }
  throw forbidden(`A ${ctx.actor.role} cannot use ${tool.name}`);
}
