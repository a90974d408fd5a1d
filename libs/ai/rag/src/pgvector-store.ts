import type { Tx } from "@devflow/db";
import { canMatch, replaceSourceChunks, sourceTypeArray, uuidArray, visibleChunksSql } from "./chunks.repository";
import { EMBEDDING_DIMENSIONS } from "./embedder";
import type { NearestQuery, VectorStore } from "./vector-store";

export interface PgvectorStoreOptions {
  /**
   * HNSW candidate list size (hnsw.ef_search): higher finds more of the true nearest neighbours at
   * some cost in time. Default 100.
   */
  efSearch?: number;
}

/**
 * Vectors in `text_chunks.embedding` (pgvector, cosine distance, HNSW index), in the same database
 * and under the same row-level security as everything else.
 */
export function createPgvectorStore(options: PgvectorStoreOptions = {}): VectorStore {
  const efSearch = options.efSearch ?? 100;
  return {
    name: "pgvector",
    async replaceSource(tx, source, chunks, model) {
      for (const chunk of chunks) {
        if (chunk.embedding && chunk.embedding.length !== EMBEDDING_DIMENSIONS) {
          throw new Error(
            `Chunk ${chunk.index} of ${source.sourceType} ${source.sourceId} has ${chunk.embedding.length} dimensions; ` +
              `text_chunks.embedding holds ${EMBEDDING_DIMENSIONS}`,
          );
        }
      }
      await replaceSourceChunks(tx, source, chunks, model);
    },
    async nearest(tx: Tx, query: NearestQuery) {
      if (!canMatch(query.filter) || query.vector.every((v) => v === 0)) return [];
      // Row-level security and the visibility join filter the index's candidates; without iterative
      // scans HNSW stops after ef_search candidates and a small organization on a big table gets
      // fewer than `limit` rows. relaxed_order lets it keep scanning; the outer ORDER BY restores order.
      await tx.$executeRawUnsafe(
        `SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', $1, true)`,
        String(efSearch),
      );
      const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
        `WITH nearest AS MATERIALIZED (
           SELECT c.id, c.embedding <=> $1::vector AS distance
             FROM ${visibleChunksSql("$2", "$3", "$7")}
              AND c.embedding_model = $4
            ORDER BY c.embedding <=> $1::vector
            LIMIT $5
         )
         SELECT id::text AS id FROM nearest WHERE distance <= $6 ORDER BY distance, id`,
        `[${query.vector.join(",")}]`,
        uuidArray(query.filter.visibleProjectIds),
        query.filter.projectId,
        query.model,
        query.limit,
        // Cosine distance is 1 - similarity. Applied to the neighbours found, not inside the index
        // scan: there, a threshold nothing meets would make the iterative scan read the whole index.
        1 - query.minSimilarity,
        sourceTypeArray(query.filter.sourceTypes),
      );
      return rows.map((r) => r.id);
    },
  };
}
