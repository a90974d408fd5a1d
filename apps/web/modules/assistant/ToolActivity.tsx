"use client";

import type { ToolActivityDto } from "@devflow/contracts";
import { Spinner } from "@devflow/web-ui";

const TOOL_LABELS: Record<string, string> = {
  search_docs: "Searched the workspace",
  get_doc: "Read a document",
  list_projects: "Listed projects",
  create_doc: "Created a document",
  propose_edit: "Proposed an edit",
};

/** What the assistant did while answering, one line per tool call. */
export function ToolActivityList({ tools }: { tools: readonly ToolActivityDto[] }) {
  if (tools.length === 0) return null;
  return (
    <ul className="tool-activity" aria-label="What the assistant did">
      {tools.map((tool) => (
        <li
          key={tool.callId}
          className={`tool-activity__item tool-activity__item--${tool.status}`}
          data-testid="tool-activity"
        >
          {tool.status === "running" ? (
            <Spinner size={12} />
          ) : (
            <span aria-hidden>{tool.status === "ok" ? "✓" : "✕"}</span>
          )}
          <span>
            {TOOL_LABELS[tool.name] ?? tool.name}
            {tool.status === "running" && "…"}
          </span>
          {tool.summary && (
            <span className="tool-activity__summary">
              {tool.status === "error" ? `failed: ${tool.summary}` : tool.summary}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
