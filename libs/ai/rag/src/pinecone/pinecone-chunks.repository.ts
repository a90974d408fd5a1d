import type { Tx } from "@devflow/db";
import { sourceTypeArray, uuidArray, visibleChunksSql } from "../chunks.repository";
import type { ChunkFilter, ChunkSource } from "../vector-store";

/**
 * The organization the transaction is scoped to (withTenant sets it transaction-locally), or null
 * outside a tenant transaction. The Pinecone store takes its namespace from here rather than from
 * its arguments, so a query can only ever reach the namespace of the organization RLS enforces.
 */
export async function currentOrganizationId(tx: Tx): Promise<string | null> {
  const [row] = await tx.$queryRawUnsafe<{ id: string | null }[]>(
    `SELECT NULLIF(current_setting('app.current_organization', true), '') AS id`,
  );
  return row?.id ?? null;
}

/** The ids Postgres gave a source's chunk rows, by chunk index (they become the Pinecone vector ids). */
export async function listSourceChunkIds(tx: Tx, source: ChunkSource): Promise<Map<number, string>> {
  const rows = await tx.$queryRawUnsafe<{ id: string; chunkIndex: number }[]>(
    `SELECT id::text AS id, chunk_index AS "chunkIndex"
       FROM text_chunks WHERE source_type = $1::chunk_source AND source_id = $2::uuid`,
    source.sourceType,
    source.sourceId,
  );
  return new Map(rows.map((r) => [r.chunkIndex, r.id]));
}

export interface SearchScope {
  /** Live (not archived) projects the filter allows. */
  projectIds: string[];
  /**
   * Archived sources (documents and files, of the filter's types) inside those projects, most
   * recently archived first, at most `archivedLimit`.
   */
  archivedSourceIds: string[];
}

/**
 * What the Pinecone filter must narrow a search to, worked out in Postgres where project
 * visibility and archiving live: vectors carry their project and source, not whether either is
 * archived or who may see it, so those facts are turned into id lists for the metadata filter.
 * Archived files matter as much as archived documents: archiving a file deletes its rows, not its
 * vectors. A file that is not ready has no rows the reader can see either, but is not listed: its
 * vectors, if any, are dropped by the Postgres check after the query.
 */
export async function loadSearchScope(
  tx: Tx,
  filter: ChunkFilter,
  limits: { projects: number; archivedSources: number },
): Promise<SearchScope> {
  const projects = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT p.id::text AS id FROM projects p
      WHERE p.archived_at IS NULL
        AND ($1::uuid[] IS NULL OR p.id = ANY($1::uuid[]))
        AND ($2::uuid IS NULL OR p.id = $2::uuid)
      ORDER BY p.id
      LIMIT $3`,
    uuidArray(filter.visibleProjectIds),
    filter.projectId,
    limits.projects,
  );
  const projectIds = projects.map((p) => p.id);
  if (projectIds.length === 0) return { projectIds, archivedSourceIds: [] };
  const archived = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT a.id::text AS id
       FROM (
         SELECT d.id, d.archived_at FROM documents d
          WHERE 'document' = ANY($3::chunk_source[])
            AND d.archived_at IS NOT NULL AND d.project_id = ANY($1::uuid[])
         UNION ALL
         SELECT f.id, f.archived_at FROM files f
          WHERE 'file' = ANY($3::chunk_source[])
            AND f.archived_at IS NOT NULL AND f.project_id = ANY($1::uuid[])
       ) a
      ORDER BY a.archived_at DESC
      LIMIT $2`,
    uuidArray(projectIds),
    limits.archivedSources,
    sourceTypeArray(filter.sourceTypes),
  );
  return { projectIds, archivedSourceIds: archived.map((a) => a.id) };
}

/**
 * Of `ids`, those naming a chunk row this transaction can see under the same conditions every
 * retrieval query applies (organization by RLS, a live document or ready file of the filter's types
 * in a live visible project) and embedded by `model`. Drops vectors whose rows are gone, not yet committed, or stale in Pinecone.
 */
export async function keepRetrievableChunks(
  tx: Tx,
  ids: readonly string[],
  filter: ChunkFilter,
  model: string,
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT c.id::text AS id
       FROM ${visibleChunksSql("$2", "$3", "$5")}
        AND c.id = ANY($1::uuid[])
        AND c.embedding_model = $4`,
    uuidArray(ids),
    uuidArray(filter.visibleProjectIds),
    filter.projectId,
    model,
    sourceTypeArray(filter.sourceTypes),
  );
  return new Set(rows.map((r) => r.id));
}
