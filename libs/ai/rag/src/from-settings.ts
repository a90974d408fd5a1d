import type { Embedder } from "./embedder";
import { createEmbedder, type EmbeddingProvider } from "./embedders/create-embedder";
import { createPgvectorStore } from "./pgvector-store";
import { createPineconeStore } from "./pinecone/pinecone-store";
import type { VectorStore } from "./vector-store";

/** The embedding settings every app reading or writing the index shares (validated by util-config). */
export interface EmbeddingSettings {
  AI_EMBEDDINGS_PROVIDER: EmbeddingProvider;
  AI_EMBEDDINGS_MODEL?: string | undefined;
  AI_EMBEDDINGS_BASE_URL?: string | undefined;
  AI_EMBEDDINGS_API_KEY?: string | undefined;
  AI_VECTOR_STORE: "pgvector" | "pinecone";
  PINECONE_API_KEY?: string | undefined;
  PINECONE_INDEX_HOST?: string | undefined;
}

export interface RetrievalSetup {
  embedder: Embedder;
  store: VectorStore;
}

/**
 * The embedder and vector store the settings choose. Web (search), ai (retrieval, indexing) and the
 * worker must build theirs from the same settings, or queries are compared with vectors of another model.
 */
export function retrievalSetupFromSettings(settings: EmbeddingSettings): RetrievalSetup {
  const embedder = createEmbedder({
    provider: settings.AI_EMBEDDINGS_PROVIDER,
    model: settings.AI_EMBEDDINGS_MODEL,
    apiKey: settings.AI_EMBEDDINGS_API_KEY,
    baseUrl: settings.AI_EMBEDDINGS_BASE_URL,
  });
  const store =
    settings.AI_VECTOR_STORE === "pinecone"
      ? createPineconeStore({ apiKey: settings.PINECONE_API_KEY ?? "", indexHost: settings.PINECONE_INDEX_HOST ?? "" })
      : createPgvectorStore();
  return { embedder, store };
}
