import type { Tx } from "@devflow/db";
import { uuidArray, visibleChunksSql } from "../chunks.repository";
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
  /** Archived documents inside those projects, most recently archived first, at most `archivedLimit`. */
  archivedDocumentIds: string[];
}

/**
 * What the Pinecone filter must narrow a search to, worked out in Postgres where project
 * visibility and archiving live: vectors carry their project and document, not whether either is
 * archived or who may see it, so those facts are turned into id lists for the metadata filter.
 */
export async function loadSearchScope(
  tx: Tx,
  filter: ChunkFilter,
  limits: { projects: number; archivedDocuments: number },
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
  if (projectIds.length === 0) return { projectIds, archivedDocumentIds: [] };
  const archived = await tx.$queryRawUnsafe<{ id: string }[]>(
    `SELECT d.id::text AS id FROM documents d
      WHERE d.archived_at IS NOT NULL AND d.project_id = ANY($1::uuid[])
      ORDER BY d.archived_at DESC
      LIMIT $2`,
    uuidArray(projectIds),
    limits.archivedDocuments,
  );
  return { projectIds, archivedDocumentIds: archived.map((d) => d.id) };
}

/**
 * Of `ids`, those naming a chunk row this transaction can see under the same conditions every
 * retrieval query applies (organization by RLS, live document in a live visible project) and
 * embedded by `model`. Drops vectors whose rows are gone, not yet committed, or stale in Pinecone.
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
       FROM ${visibleChunksSql("$2", "$3")}
        AND c.id = ANY($1::uuid[])
        AND c.embedding_model = $4`,
    uuidArray(ids),
    uuidArray(filter.visibleProjectIds),
    filter.projectId,
    model,
  );
  return new Set(rows.map((r) => r.id));
}
