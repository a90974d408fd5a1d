import { SEARCH_QUERY_MAX_LENGTH } from "@devflow/ai-rag";
import { z } from "zod";
import type { SourceRef, ToolDefinition } from "../tool";
import type { ToolRegistryDeps } from "../tool-deps";

const SEARCH_DOCS_LIMIT_MAX = 25;

const Input = z.object({
  query: z.string().trim().min(1).max(SEARCH_QUERY_MAX_LENGTH).describe("What to look for, in plain words"),
  projectId: z.uuid().optional().describe("Only search this project's documents"),
  limit: z.number().int().min(1).max(SEARCH_DOCS_LIMIT_MAX).default(8).describe("Most passages to return (1–25)"),
});

/** Hybrid search over the documents the caller may read, as citable passages. */
export function searchDocsTool({
  retrieval,
}: Pick<ToolRegistryDeps, "retrieval">): ToolDefinition<z.output<typeof Input>> {
  return {
    name: "search_docs",
    title: "Search documents",
    description:
      "Finds passages in the workspace's documents that match a query (keywords and meaning). Each passage gives the document id, title, the version it was read at and its character offsets; open a document with get_doc for its full text.",
    access: "read",
    surfaces: ["assistant", "mcp"],
    input: Input,
    async run({ ctx }, input) {
      const found = await retrieval.search(ctx, {
        query: input.query,
        limit: input.limit,
        sourceTypes: ["document"],
        ...(input.projectId && { projectId: input.projectId }),
      });
      const passages = found.map((p) => ({
        documentId: p.sourceId,
        projectId: p.projectId,
        title: p.title,
        heading: p.heading,
        version: p.sourceVersion,
        start: p.startOffset,
        end: p.endOffset,
        text: p.content,
        score: p.score,
      }));
      const sources: SourceRef[] = passages.map((p) => ({
        documentId: p.documentId,
        title: p.title,
        version: p.version,
        start: p.start,
        end: p.end,
      }));
      const text =
        passages.length === 0
          ? `No passages match "${input.query}".`
          : passages
              .map(
                (p, i) =>
                  `[${i + 1}] ${p.heading ?? p.title} (document ${p.documentId}, v${p.version}, ${p.start}–${p.end})\n${p.text}`,
              )
              .join("\n\n");
      return { output: { passages }, text, sources, projectId: input.projectId ?? null };
    },
  };
}
