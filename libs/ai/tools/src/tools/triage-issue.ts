import type { Embedder } from "@devflow/ai-rag";
import { TRIAGE_TEXT_MAX } from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { triagePassage } from "@devflow/domain-triage";
import { z } from "zod";
import type { ToolDefinition } from "../tool";

const Input = z.object({
  text: z
    .string()
    .trim()
    .min(1)
    .max(TRIAGE_TEXT_MAX)
    .describe("The issue's title and body, or a passage of a design doc that would become an issue"),
  repositoryId: z
    .uuid()
    .optional()
    .describe("Only this connected repository's labels, components and issues (default: every repository)"),
});

/**
 * Triage for a text: the priority, labels and component an issue with it would get (from the
 * repository's own labels), and the existing issues that likely say the same, with the words or
 * similarity behind each suggestion. Reads only.
 */
export function triageIssueTool(deps: { db: Database; embedder: Embedder }): ToolDefinition<z.output<typeof Input>> {
  return {
    name: "triage_issue",
    title: "Triage an issue",
    description:
      "Suggests priority (P1–P3), labels and component for an issue text (or a design-doc passage that would become an issue), chosen from the connected repositories' own labels, and lists likely duplicate issues with their similarity. Each suggestion says which words led to it. Changes nothing.",
    access: "read",
    surfaces: ["assistant", "mcp"],
    input: Input,
    async run({ ctx }, input) {
      const triage = await triagePassage(deps.db, ctx, input, { embedder: deps.embedder });
      const because = (words: string[]) => (words.length ? ` (because: ${words.join(", ")})` : "");
      const lines = [
        `Priority: ${triage.priority.value}${because(triage.priority.because)}`,
        `Labels: ${triage.labels.map((l) => `${l.value}${because(l.because)}`).join("; ") || "none suggested"}`,
        `Component: ${triage.component ? `${triage.component.value}${because(triage.component.because)}` : "none suggested"}`,
        triage.duplicates.length === 0
          ? "Likely duplicates: none found"
          : `Likely duplicates:\n${triage.duplicates
              .map((d) => `- ${d.repositoryFullName}#${d.number} “${d.title}” (${d.state}, similarity ${d.similarity})`)
              .join("\n")}`,
      ];
      return { output: triage, text: lines.join("\n"), sources: [] };
    },
  };
}
