/** Every embedding stored in `text_chunks.embedding` has this many dimensions (the column is vector(384)). */
export const EMBEDDING_DIMENSIONS = 384;

/**
 * Turns texts into vectors for similarity search. Implementations: the offline hashing embedder
 * (default, `createOfflineEmbedder`); hosted providers (OpenAI, Google, any OpenAI-compatible
 * endpoint) plug in here behind the same interface, chosen by configuration.
 */
export interface Embedder {
  /** Stored with every chunk; only chunks embedded by the same model are compared with a query. */
  readonly model: string;
  /** Length of every vector `embed` returns; must equal EMBEDDING_DIMENSIONS for the pgvector store. */
  readonly dimensions: number;
  /**
   * True for a real embedding model, whose neighbours can share meaning without sharing words; false
   * for the offline hashing embedder, so the UI can say honestly what "similar" means.
   */
  readonly semantic: boolean;
  /**
   * Cosine similarity below which a neighbour counts as unrelated and is not returned: nearest-neighbour
   * search always finds *something*, and a search for a word no document contains should find nothing.
   * Depends on the model (0 keeps every neighbour).
   */
  readonly minSimilarity: number;
  /** One L2-normalised vector per text, in the same order. */
  embed(texts: readonly string[]): Promise<number[][]>;
}
