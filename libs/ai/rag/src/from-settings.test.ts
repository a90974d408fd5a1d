import { describe, expect, it } from "vitest";
import { OFFLINE_EMBEDDING_MODEL } from "./offline-embedder";
import { retrievalSetupFromSettings } from "./from-settings";

describe("retrievalSetupFromSettings", () => {
  it("defaults to the offline embedder and pgvector", () => {
    const { embedder, store } = retrievalSetupFromSettings({
      AI_EMBEDDINGS_PROVIDER: "offline",
      AI_VECTOR_STORE: "pgvector",
    });
    expect(embedder.model).toBe(OFFLINE_EMBEDDING_MODEL);
    expect(embedder.semantic).toBe(false);
    expect(store.name).toBe("pgvector");
  });

  it("builds a hosted embedder and Pinecone when the settings name them", () => {
    const { embedder, store } = retrievalSetupFromSettings({
      AI_EMBEDDINGS_PROVIDER: "openai",
      AI_EMBEDDINGS_MODEL: "text-embedding-3-small",
      AI_EMBEDDINGS_API_KEY: "sk-test",
      AI_VECTOR_STORE: "pinecone",
      PINECONE_API_KEY: "pc-test",
      PINECONE_INDEX_HOST: "https://devflow-abc.svc.pinecone.io",
    });
    expect(embedder.model).toBe("openai/text-embedding-3-small");
    expect(embedder.semantic).toBe(true);
    expect(store.name).toBe("pinecone");
  });

  it("refuses a hosted embedder without its key", () => {
    expect(() => retrievalSetupFromSettings({ AI_EMBEDDINGS_PROVIDER: "google", AI_VECTOR_STORE: "pgvector" })).toThrow(
      expect.objectContaining({ code: "ai_not_configured" }),
    );
  });
});
