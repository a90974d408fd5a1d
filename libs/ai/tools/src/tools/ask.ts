import { z } from "zod";
import type { SourceRef, ToolDefinition } from "../tool";
import type { AnswerQuestion } from "../tool-deps";

const Input = z.object({
  question: z.string().trim().min(1).max(4_000).describe("The question, in plain words"),
  projectId: z.uuid().optional().describe("Answer from this project's documents only"),
  documentId: z.uuid().optional().describe("Answer about this document"),
});

/** A grounded answer from the workspace assistant, with the passages it cites. */
export function askTool(answer: AnswerQuestion): ToolDefinition<z.output<typeof Input>> {
  return {
    name: "ask",
    title: "Ask the workspace",
    description:
      "Asks DevFlow's assistant a question about the workspace. It answers from the documents and uploaded files you can read and cites the document and version (or the file) of every passage it used.",
    access: "read",
    surfaces: ["mcp"],
    input: Input,
    async run(call, input) {
      const { text, citations } = await answer(call, {
        question: input.question,
        ...(input.projectId && { projectId: input.projectId }),
        ...(input.documentId && { documentId: input.documentId }),
      });
      const cited = citations.map(
        (c, i) =>
          `[${i + 1}] ${c.title} (${c.sourceType === "file" ? `uploaded file ${c.fileId}` : `document ${c.documentId}, v${c.version}`})`,
      );
      // The ledger records documents read; file citations stay in the output.
      const sources = citations.flatMap((c): SourceRef[] =>
        c.sourceType === "file"
          ? []
          : [{ documentId: c.documentId, title: c.title, version: c.version, start: c.start, end: c.end }],
      );
      return {
        output: { answer: text, citations },
        text: cited.length === 0 ? text : `${text}\n\nSources:\n${cited.join("\n")}`,
        sources,
        projectId: input.projectId ?? null,
      };
    },
  };
}
