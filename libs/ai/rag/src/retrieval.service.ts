import type { RequestContext } from "@devflow/auth";
import type { Database, Tx } from "@devflow/db";
import { listVisibleProjectIds } from "@devflow/domain-projects";
import { AppError } from "@devflow/util-core";
import { z } from "zod";
import { canMatch, loadPassages, RANKED_CANDIDATES_MAX, rankByText } from "./chunks.repository";
import type { Embedder } from "./embedder";
import { reciprocalRankFusion } from "./fusion";
import { findHighlights, type Highlight } from "./highlights";
import { createPgvectorStore } from "./pgvector-store";
import { CHUNK_SOURCE_TYPES, type ChunkFilter, type ChunkSourceType, type VectorStore } from "./vector-store";

/** Longest query accepted, in characters after trimming. */
export const SEARCH_QUERY_MAX_LENGTH = 1_000;
/** Most passages one search returns. */
export const SEARCH_LIMIT_MAX = 100;
export const SEARCH_LIMIT_DEFAULT = 10;

export const SearchInputSchema = z.object({
  /** Free text; websearch syntax works ("exact phrase", -excluded, or). Blank returns nothing. */
  query: z.string().trim().max(SEARCH_QUERY_MAX_LENGTH, `must be at most ${SEARCH_QUERY_MAX_LENGTH} characters`),
  /** Most passages to return (1–100, default 10). */
  limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX).optional(),
  /** Only passages from this project. */
  projectId: z.uuid().optional(),
  /** Only passages from these kinds of source (default: all; documents and files are searchable today). */
  sourceTypes: z.array(z.enum(CHUNK_SOURCE_TYPES)).min(1).optional(),
});
export type SearchInput = z.input<typeof SearchInputSchema>;

/** One ranked passage, with everything needed to cite it and to open its source at it. */
export interface RetrievedPassage {
  chunkId: string;
  /** `document` (sourceId is a document id) or `file` (an uploaded file's id; its one version is 1). */
  sourceType: ChunkSourceType;
  sourceId: string;
  /** The source version the passage was cut from; its offsets index that version's text. */
  sourceVersion: number;
  projectId: string;
  /** The source's current title: a document's title, a file's name. */
  title: string;
  /** The title and the headings above the passage, joined with " › ". */
  heading: string | null;
  /** UTF-16 offsets into the source text at `sourceVersion`. */
  startOffset: number;
  endOffset: number;
  content: string;
  /** Reciprocal-rank-fusion score: higher is better; comparable within one search only. */
  score: number;
  /** The query's words within `content`, as UTF-16 offsets into it. */
  highlights: Highlight[];
}

export interface RetrievalServiceOptions {
  embedder: Embedder;
  /** Where vectors live; default pgvector in the same database. */
  store?: VectorStore;
  /** How many candidates each arm (full text, vectors) contributes before fusion; default 50, at least `limit`. */
  candidates?: number;
  /**
   * How many full-text matches each tier ranks before keeping the best (default and most 1,000).
   * A common word matches most of a large organization and ranking is most of the text arm's
   * cost; fewer is faster but ranks a smaller sample. Measured at 100k chunks (bench/rag): 500
   * instead of 1,000 cut search p95 by about a third and changed ~22% of the top 10.
   */
  rankedCandidates?: number;
}

export type RetrievalService = ReturnType<typeof createRetrievalService>;

/**
 * Hybrid retrieval over what the asking user may read: Postgres full-text ranking and vector
 * similarity, each restricted in SQL to the organization (row-level security) and to live documents
 * and ready, unarchived files in live projects the user may see, then fused by reciprocal rank.
 * Nothing is filtered after ranking, so a hidden source can neither appear nor push a visible one
 * out of the results.
 */
export function createRetrievalService(db: Database, options: RetrievalServiceOptions) {
  const { embedder } = options;
  const store = options.store ?? createPgvectorStore();
  const candidates = options.candidates ?? 50;
  const rankedCandidates = Math.min(options.rankedCandidates ?? RANKED_CANDIDATES_MAX, RANKED_CANDIDATES_MAX);

  return {
    embedder: { model: embedder.model, semantic: embedder.semantic },

    /** Ranked passages for `input.query`, best first; an empty list for a blank query. */
    async search(ctx: RequestContext, input: SearchInput): Promise<RetrievedPassage[]> {
      const { query, limit, projectId, sourceTypes } = parseSearchInput(input);
      if (!query) return [];
      const perArm = Math.max(candidates, limit);
      // Embedding may call a provider: do it before any transaction opens, not while one holds a connection.
      const [vector] = await embedder.embed([query]);
      // The two arms run at the same time, each in its own tenant transaction on its own
      // connection (a search costs the slower arm, not both). Each looks up visibility itself so
      // neither waits for the other while holding a connection: waiting inside one transaction for
      // another could deadlock a full pool.
      const armFilter = async (tx: Tx): Promise<ChunkFilter> => ({
        visibleProjectIds: await listVisibleProjectIds(tx, ctx),
        projectId: projectId ?? null,
        sourceTypes,
      });
      const [text, vectorIds] = await Promise.all([
        db.withTenant(ctx, async (tx) => {
          const filter = await armFilter(tx);
          return { filter, ids: canMatch(filter) ? await rankByText(tx, query, filter, perArm, rankedCandidates) : [] };
        }),
        vector
          ? db.withTenant(ctx, async (tx) =>
              store.nearest(tx, {
                vector,
                model: embedder.model,
                limit: perArm,
                minSimilarity: embedder.minSimilarity,
                filter: await armFilter(tx),
              }),
            )
          : Promise.resolve([]),
      ]);
      const fused = reciprocalRankFusion([text.ids, vectorIds]).slice(0, limit);
      if (fused.length === 0) return [];
      // The passages are read under the text arm's filter: whatever either arm found must still be
      // visible now, or it is left out.
      const rows = new Map(
        (
          await db.withTenant(ctx, (tx) =>
            loadPassages(
              tx,
              fused.map((f) => f.id),
              text.filter,
            ),
          )
        ).map((r) => [r.id, r]),
      );
      return fused.flatMap(({ id, score }): RetrievedPassage[] => {
        const row = rows.get(id);
        if (!row) return [];
        const { id: chunkId, ...passage } = row;
        return [{ chunkId, ...passage, score, highlights: findHighlights(row.content, query) }];
      });
    },
  };
}

function parseSearchInput(input: SearchInput) {
  const parsed = SearchInputSchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new AppError("validation_failed", `Invalid search: ${first?.path.join(".") || "input"} ${first?.message}`, {
      details: parsed.error.issues,
      report: false,
    });
  }
  return {
    query: parsed.data.query,
    limit: parsed.data.limit ?? SEARCH_LIMIT_DEFAULT,
    projectId: parsed.data.projectId,
    sourceTypes: parsed.data.sourceTypes ?? CHUNK_SOURCE_TYPES,
  };
}
