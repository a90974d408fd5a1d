import type { Tx } from "@devflow/db";
import type { TextChunkDraft } from "./chunker";

/** What a chunk can come from (the `chunk_source` enum). Only documents are indexed so far. */
export const CHUNK_SOURCE_TYPES = ["document", "file", "pull_request", "issue"] as const;
export type ChunkSourceType = (typeof CHUNK_SOURCE_TYPES)[number];

/** One source (a document at one version) whose chunks are written together. */
export interface ChunkSource {
  organizationId: string;
  projectId: string | null;
  sourceType: ChunkSourceType;
  sourceId: string;
  /** The version the chunks were cut from; citations name it. */
  sourceVersion: number;
}

export interface EmbeddedChunk extends TextChunkDraft {
  /** Null when the chunk has no words to embed (a title-only chunk of an empty document, say). */
  embedding: number[] | null;
}

/**
 * Which chunks a search may consider, applied inside the query before anything is ranked: the
 * organization is the transaction's (row-level security), the rest narrows it to what the reader may open.
 */
export interface ChunkFilter {
  /** Projects the reader may see; null when they see every project (owners and admins). */
  visibleProjectIds: string[] | null;
  /** Only this project, when set. */
  projectId: string | null;
  sourceTypes: readonly ChunkSourceType[];
}

export interface NearestQuery {
  vector: number[];
  /** Only vectors made by this embedding model are comparable with `vector`. */
  model: string;
  limit: number;
  /** Leave out neighbours less similar than this (cosine similarity, -1…1). */
  minSimilarity: number;
  filter: ChunkFilter;
}

/**
 * Where chunk vectors live and how the nearest ones are found. The pgvector store keeps them in
 * `text_chunks.embedding`, in the same database and under the same row-level security as the text;
 * an external store (Pinecone, one namespace per organization) would keep the text rows for
 * full-text ranking and put the vectors, tagged with project and source, in its index.
 */
export interface VectorStore {
  readonly name: string;
  /**
   * Replaces every chunk of one source with `chunks`, atomically within `tx`: readers see the old
   * set or the new one, never a mix.
   */
  replaceSource(tx: Tx, source: ChunkSource, chunks: readonly EmbeddedChunk[], model: string): Promise<void>;
  /** Ids of the chunks closest to the query vector among those the filter allows, closest first. */
  nearest(tx: Tx, query: NearestQuery): Promise<string[]>;
}
