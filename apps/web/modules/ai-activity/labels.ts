import type { AgentExecutionStatus, AiCallStatus, AiSurface } from "@devflow/contracts";
import type { BadgeTone } from "@devflow/web-ui";

export const SURFACE_LABELS: Record<AiSurface, string> = {
  assistant: "Assistant",
  mcp: "MCP client",
  worker: "Background job",
  search: "Search",
};

export const STATUS_LABELS: Record<AiCallStatus, string> = { ok: "OK", error: "Error", refused: "Refused" };

export const STATUS_TONES: Record<string, BadgeTone> = { ok: "green", error: "red", refused: "amber" };

export const OUTCOME_LABELS: Record<AgentExecutionStatus, string> = {
  queued: "Queued",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
};

export const OUTCOME_TONES: Record<AgentExecutionStatus, BadgeTone> = {
  queued: "neutral",
  running: "blue",
  succeeded: "green",
  failed: "red",
  cancelled: "amber",
};
