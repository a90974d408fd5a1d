export { chunkMarkdown, CHUNK_MAX_CHARS, CHUNK_MIN_CHARS, HEADING_SEPARATOR } from "./chunker";
export type { ChunkOptions, TextChunkDraft } from "./chunker";
export { createDocumentIndexer } from "./document-indexer";
export type { DocumentIndexer, DocumentIndexerOptions, IndexOutcome, IndexPendingResult } from "./document-indexer";
export { EMBEDDING_DIMENSIONS } from "./embedder";
export type { Embedder } from "./embedder";
export { createEmbedder, EMBEDDING_PROVIDERS, minSimilarityFor, verifyEmbedder } from "./embedders/create-embedder";
export type { EmbedderOptions, EmbeddingProvider } from "./embedders/create-embedder";
export { reciprocalRankFusion, RRF_K } from "./fusion";
export type { FusedItem } from "./fusion";
export { findHighlights } from "./highlights";
export type { Highlight } from "./highlights";
export { startIndexLoop } from "./index-loop";
export type { IndexLoop, IndexLoopOptions } from "./index-loop";
export { createOfflineEmbedder, hashEmbedding, OFFLINE_EMBEDDING_MODEL } from "./offline-embedder";
export { createPgvectorStore } from "./pgvector-store";
export type { PgvectorStoreOptions } from "./pgvector-store";
export { createPineconeStore, pineconeNamespace } from "./pinecone/pinecone-store";
export type { PineconeStore, PineconeStoreOptions } from "./pinecone/pinecone-store";
export {
  createRetrievalService,
  SEARCH_LIMIT_DEFAULT,
  SEARCH_LIMIT_MAX,
  SEARCH_QUERY_MAX_LENGTH,
  SearchInputSchema,
} from "./retrieval.service";
export type { RetrievalService, RetrievalServiceOptions, RetrievedPassage, SearchInput } from "./retrieval.service";
export { CHUNK_SOURCE_TYPES } from "./vector-store";
export type {
  ChunkFilter,
  ChunkSource,
  ChunkSourceType,
  EmbeddedChunk,
  NearestQuery,
  VectorStore,
} from "./vector-store";
export { retrievalSetupFromSettings } from "./from-settings";
export type { EmbeddingSettings, RetrievalSetup } from "./from-settings";
