import { AppError } from "@devflow/util-core";
import type { ToolDefinition } from "./tool";

/** One problem with a tool's input: the field (dotted path, "" for the whole input) and what is wrong. */
export interface ToolInputIssue {
  path: string;
  message: string;
}

/**
 * The tool's input, parsed with its schema, or AppError `validation_failed` naming each bad field
 * in `details.issues`, so a model can fix its call.
 */
export function parseToolInput<Input>(tool: Pick<ToolDefinition<Input>, "name" | "input">, raw: unknown): Input {
  const parsed = tool.input.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const issues: ToolInputIssue[] = parsed.error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
  const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
  throw new AppError("validation_failed", `Invalid input for ${tool.name}: ${summary}`, {
    report: false,
    details: { issues },
  });
}
