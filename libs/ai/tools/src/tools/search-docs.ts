import { SEARCH_QUERY_MAX_LENGTH } from "@devflow/ai-rag";
import { z } from "zod";
import type { SourceRef, ToolDefinition } from "../tool";
import type { ToolRegistryDeps } from "../tool-deps";

const SEARCH_DOCS_LIMIT_MAX = 25;

const Input = z.object({
  query: z.string().trim().min(1).max(SEARCH_QUERY_MAX_LENGTH).describe("What to look for, in plain words"),
  projectId: z.uuid().optional().describe("Only search this project's documents and files"),
  limit: z.number().int().min(1).max(SEARCH_DOCS_LIMIT_MAX).default(8).describe("Most passages to return (1–25)"),
  sourceTypes: z
    .array(z.enum(["document", "file"]))
    .min(1)
    .default(["document"])
    .describe(
      'What to search: "document" (the workspace\'s documents), "file" (files people uploaded: the text of PDFs, Word and text files), or both. Default: documents only',
    ),
});

/**
 * Hybrid search over the documents (and, when asked, the uploaded files) the caller may read, as
 * citable passages. One tool rather than a second `search_files`: the query, filters and ranking
 * are the same, and a model that wants both kinds asks once. A document passage names its
 * `documentId`, a file passage its `fileId`; only documents go into `sources` (the agent ledger
 * records documents, and a file's id there would read as a document that does not exist).
 */
export function searchDocsTool({
  retrieval,
}: Pick<ToolRegistryDeps, "retrieval">): ToolDefinition<z.output<typeof Input>> {
  return {
    name: "search_docs",
    title: "Search documents and files",
    description:
      'Finds passages in the workspace\'s documents that match a query (keywords and meaning); with sourceTypes ["file"] or ["document", "file"], also in files people uploaded (PDF, Word, text). Each passage gives its document id (or file id), title (or file name), the version it was read at and its character offsets; open a document with get_doc for its full text.',
    access: "read",
    surfaces: ["assistant", "mcp"],
    input: Input,
    async run({ ctx }, input) {
      const found = await retrieval.search(ctx, {
        query: input.query,
        limit: input.limit,
        sourceTypes: input.sourceTypes,
        ...(input.projectId && { projectId: input.projectId }),
      });
      const passages = found.map((p) => {
        const passage = {
          projectId: p.projectId,
          title: p.title,
          heading: p.heading,
          version: p.sourceVersion,
          start: p.startOffset,
          end: p.endOffset,
          text: p.content,
          score: p.score,
        };
        return p.sourceType === "file"
          ? { sourceType: "file" as const, fileId: p.sourceId, ...passage }
          : { sourceType: "document" as const, documentId: p.sourceId, ...passage };
      });
      const sources: SourceRef[] = passages.flatMap((p) =>
        p.sourceType === "file"
          ? []
          : [{ documentId: p.documentId, title: p.title, version: p.version, start: p.start, end: p.end }],
      );
      const text =
        passages.length === 0
          ? `No passages match "${input.query}".`
          : passages
              .map((p, i) => {
                const where =
                  p.sourceType === "file"
                    ? `uploaded file "${p.title}", file ${p.fileId}`
                    : `document ${p.documentId}, v${p.version}`;
                return `[${i + 1}] ${p.heading ?? p.title} (${where}, ${p.start}–${p.end})\n${p.text}`;
              })
              .join("\n\n");
      return { output: { passages }, text, sources, projectId: input.projectId ?? null };
    },
  };
}
