import type { Tx } from "@devflow/db";
import type { ChunkFilter, ChunkSource, ChunkSourceType, EmbeddedChunk } from "./vector-store";

/** The source types retrieval can join to their source today; other chunks are never returned. */
const RETRIEVABLE_SOURCE_TYPES: ReadonlySet<ChunkSourceType> = new Set(["document", "file"]);

/**
 * The conditions every retrieval query applies before it ranks anything, over `text_chunks c`: its
 * source `src` (project_id, title) is a live document, or a ready file that is not archived, in a
 * live project the reader may see, and its type is one of the filter's. The organization is already
 * fixed by row-level security. Parameters: $visible (uuid[] or null), $project (uuid or null),
 * $sourceTypes (chunk_source[]).
 *
 * The source is found by a LATERAL probe per chunk, keyed on c.source_type: each branch of the
 * UNION ALL is gated by a one-time filter on it, so a chunk costs one primary-key lookup in its own
 * table (and one in projects), and the HNSW and GIN scans stay the driving side of every plan. The
 * same shape as rank_text_chunks (migration 20261130083000_rank_text_chunks_files). A new source
 * type adds a branch here and there.
 */
export function visibleChunksSql(visible: string, project: string, sourceTypes: string): string {
  return `text_chunks c
    CROSS JOIN LATERAL (
      SELECT s.project_id, s.title
        FROM (
          SELECT d.project_id, d.title
            FROM documents d
           WHERE c.source_type = 'document'
             AND d.organization_id = c.organization_id AND d.id = c.source_id
             AND d.archived_at IS NULL
          UNION ALL
          SELECT f.project_id, f.name
            FROM files f
           WHERE c.source_type = 'file'
             AND f.organization_id = c.organization_id AND f.id = c.source_id
             AND f.status = 'ready' AND f.archived_at IS NULL
        ) s
        JOIN projects p ON p.organization_id = c.organization_id AND p.id = s.project_id
       WHERE p.archived_at IS NULL
         AND (${visible}::uuid[] IS NULL OR s.project_id = ANY(${visible}::uuid[]))
         AND (${project}::uuid IS NULL OR s.project_id = ${project}::uuid)
       LIMIT 1
    ) src
   WHERE c.source_type = ANY(${sourceTypes}::chunk_source[])`;
}

/** Whether a filter can match anything joinable today (documents and files). */
export function canMatch(filter: ChunkFilter): boolean {
  if (!filter.sourceTypes.some((type) => RETRIEVABLE_SOURCE_TYPES.has(type))) return false;
  return filter.visibleProjectIds === null || filter.visibleProjectIds.length > 0;
}

/** A Postgres array literal for a chunk_source[] parameter (values from CHUNK_SOURCE_TYPES, validated by the caller). */
export function sourceTypeArray(types: readonly ChunkSourceType[]): string {
  return `{${types.join(",")}}`;
}

/** A Postgres array literal for a uuid[] parameter (ids are validated uuids, so no quoting is needed). */
export function uuidArray(ids: readonly string[] | null): string | null {
  return ids === null ? null : `{${ids.join(",")}}`;
}

/**
 * How many matching chunks each tier of the full-text arm ranks, at most (see rankByText). The
 * SQL function enforces the same ceiling whatever it is asked for.
 */
export const RANKED_CANDIDATES_MAX = 1_000;

/**
 * Full-text arm, by cover density (ts_rank_cd; the heading, which carries the title, weighs more
 * than the body), through the SQL function `rank_text_chunks` (migrations
 * 20261130013203_rank_text_chunks and, for files, 20261130083000_rank_text_chunks_files). Chunks containing every word of the query come first; when they
 * are fewer than `limit`, chunks containing some of the words follow — questions rarely share every
 * word with their answer. Each tier ranks at most `candidates` matches, taken in index order: a
 * common word can match most of a large organization's chunks, and ranking them all would cost more
 * than the whole search may take. Past that size the text arm is a sample and the vector arm (HNSW)
 * carries the ranking.
 *
 * Why a function: `@@` is not leakproof, so under row-level security PostgreSQL may not use the GIN
 * index for it and scanned every chunk of the organization. The function runs as a role the
 * policies let read text_chunks, and filters by the transaction's organization itself (never one
 * passed in), so it answers only for the organization withTenant set; the filter below is applied
 * before ranking, inside it.
 */
export async function rankByText(
  tx: Tx,
  query: string,
  filter: ChunkFilter,
  limit: number,
  candidates = RANKED_CANDIDATES_MAX,
): Promise<string[]> {
  if (!canMatch(filter)) return [];
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id::text AS id
       FROM rank_text_chunks($1, $2::uuid[], $3::uuid, $4::chunk_source[], $5::int, $6::int)
      ORDER BY tier, rank DESC, id`,
    query,
    uuidArray(filter.visibleProjectIds),
    filter.projectId,
    sourceTypeArray(filter.sourceTypes),
    limit,
    candidates,
  );
  return rows.map((r) => r.id);
}

export interface PassageRow {
  id: string;
  sourceType: ChunkSourceType;
  sourceId: string;
  sourceVersion: number;
  projectId: string;
  title: string;
  heading: string | null;
  startOffset: number;
  endOffset: number;
  content: string;
}

/**
 * The chunks with these ids and their sources' current titles (a document's title, a file's name)
 * and projects; callers pass ids already filtered.
 */
export async function loadPassages(tx: Tx, ids: readonly string[], filter: ChunkFilter): Promise<PassageRow[]> {
  if (ids.length === 0) return [];
  // The visibility conditions again: cheap on a handful of ids, and a passage can never be shown
  // because some arm forgot them.
  return tx.$queryRawUnsafe<PassageRow[]>(
    `SELECT c.id::text AS "id", c.source_type::text AS "sourceType", c.source_id::text AS "sourceId",
            c.source_version AS "sourceVersion", src.project_id::text AS "projectId", src.title AS "title",
            c.heading AS "heading", c.start_offset AS "startOffset", c.end_offset AS "endOffset",
            c.content AS "content"
       FROM ${visibleChunksSql("$2", "$3", "$4")}
        AND c.id = ANY($1::uuid[])`,
    uuidArray(ids),
    uuidArray(filter.visibleProjectIds),
    filter.projectId,
    sourceTypeArray(filter.sourceTypes),
  );
}

/** Deletes a source's chunks and inserts the new ones; the caller's transaction makes it atomic. */
export async function replaceSourceChunks(
  tx: Tx,
  source: ChunkSource,
  chunks: readonly EmbeddedChunk[],
  model: string,
): Promise<void> {
  await tx.$executeRawUnsafe(
    `DELETE FROM text_chunks WHERE source_type = $1::chunk_source AND source_id = $2::uuid`,
    source.sourceType,
    source.sourceId,
  );
  if (chunks.length === 0) return;
  const rows = chunks.map((chunk) => ({
    chunk_index: chunk.index,
    start_offset: chunk.startOffset,
    end_offset: chunk.endOffset,
    heading: chunk.heading || null,
    content: chunk.content,
    embedding: chunk.embedding && `[${chunk.embedding.join(",")}]`,
  }));
  // One statement for all chunks: a long document is one round trip, not hundreds.
  await tx.$executeRawUnsafe(
    `INSERT INTO text_chunks (organization_id, project_id, source_type, source_id, source_version, chunk_index,
                              start_offset, end_offset, heading, content, embedding, embedding_model)
     SELECT $1::uuid, $2::uuid, $3::chunk_source, $4::uuid, $5::int, r.chunk_index, r.start_offset, r.end_offset,
            r.heading, r.content, r.embedding::vector, $6
       FROM jsonb_to_recordset($7::jsonb)
         AS r(chunk_index int, start_offset int, end_offset int, heading text, content text, embedding text)`,
    source.organizationId,
    source.projectId,
    source.sourceType,
    source.sourceId,
    source.sourceVersion,
    model,
    JSON.stringify(rows),
  );
}
