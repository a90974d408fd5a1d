import { describe, expect, it } from "vitest";
import { loadConfig } from "./load-config";
import { AiConfigSchema, WebConfigSchema, WorkerConfigSchema } from "./schemas";

describe("AI chat settings", () => {
  it("defaults to the extractive answerer with a 60 s timeout and 1024 output tokens", () => {
    const config = loadConfig("ai", AiConfigSchema, {});
    expect(config).toMatchObject({
      AI_CHAT_PROVIDER: "extractive",
      AI_CHAT_TIMEOUT_MS: 60_000,
      AI_CHAT_MAX_OUTPUT_TOKENS: 1024,
    });
    expect(config.AI_CHAT_MODEL).toBeUndefined();
  });

  it("requires a model and a key for a hosted provider", () => {
    const attempt = () => loadConfig("ai", AiConfigSchema, { AI_CHAT_PROVIDER: "anthropic" });
    expect(attempt).toThrow(/AI_CHAT_MODEL: is required when AI_CHAT_PROVIDER=anthropic \(e\.g\. claude-/);
    expect(attempt).toThrow(/AI_CHAT_API_KEY: is required when AI_CHAT_PROVIDER=anthropic/);
  });

  it("requires a base URL but no key for an OpenAI-compatible server", () => {
    expect(() =>
      loadConfig("ai", AiConfigSchema, { AI_CHAT_PROVIDER: "openai-compatible", AI_CHAT_MODEL: "llama3.1:8b" }),
    ).toThrow(/AI_CHAT_BASE_URL: is required when AI_CHAT_PROVIDER=openai-compatible/);
    const config = loadConfig("ai", AiConfigSchema, {
      AI_CHAT_PROVIDER: "openai-compatible",
      AI_CHAT_MODEL: "llama3.1:8b",
      AI_CHAT_BASE_URL: "http://localhost:11434/v1",
    });
    expect(config.AI_CHAT_API_KEY).toBeUndefined();
  });

  it("names the accepted providers and rejects out-of-range limits", () => {
    const attempt = () =>
      loadConfig("ai", AiConfigSchema, {
        AI_CHAT_PROVIDER: "mistral",
        AI_CHAT_TIMEOUT_MS: "10",
        AI_CHAT_BASE_URL: "localhost",
      });
    expect(attempt).toThrow(/AI_CHAT_PROVIDER: expected extractive, openai, anthropic, google or openai-compatible/);
    expect(attempt).toThrow(/AI_CHAT_TIMEOUT_MS:/);
    expect(attempt).toThrow(/AI_CHAT_BASE_URL: expected a URL/);
  });

  it("is not part of the web app's settings", () => {
    const config = loadConfig("web", WebConfigSchema, { AI_CHAT_PROVIDER: "openai" });
    expect(config).not.toHaveProperty("AI_CHAT_PROVIDER");
  });
});

describe("embedding and vector store settings", () => {
  it("default to the offline embedder and pgvector in web, ai and worker", () => {
    for (const [service, schema] of [
      ["web", WebConfigSchema],
      ["ai", AiConfigSchema],
      ["worker", WorkerConfigSchema],
    ] as const) {
      expect(loadConfig(service, schema, {})).toMatchObject({
        AI_EMBEDDINGS_PROVIDER: "offline",
        AI_VECTOR_STORE: "pgvector",
      });
    }
  });

  it("require a model and a key for a hosted embedding provider, in every app", () => {
    for (const [service, schema] of [
      ["web", WebConfigSchema],
      ["ai", AiConfigSchema],
      ["worker", WorkerConfigSchema],
    ] as const) {
      const attempt = () => loadConfig(service, schema, { AI_EMBEDDINGS_PROVIDER: "openai" });
      expect(attempt).toThrow(/AI_EMBEDDINGS_MODEL: is required when AI_EMBEDDINGS_PROVIDER=openai/);
      expect(attempt).toThrow(/AI_EMBEDDINGS_API_KEY: is required when AI_EMBEDDINGS_PROVIDER=openai/);
    }
  });

  it("require a base URL for an OpenAI-compatible embedding server", () => {
    expect(() =>
      loadConfig("worker", WorkerConfigSchema, {
        AI_EMBEDDINGS_PROVIDER: "openai-compatible",
        AI_EMBEDDINGS_MODEL: "nomic-embed-text",
      }),
    ).toThrow(/AI_EMBEDDINGS_BASE_URL: is required/);
  });

  it("require Pinecone's key and index host, and accept the host as the console shows it", () => {
    const attempt = () => loadConfig("ai", AiConfigSchema, { AI_VECTOR_STORE: "pinecone" });
    expect(attempt).toThrow(/PINECONE_API_KEY: is required when AI_VECTOR_STORE=pinecone/);
    expect(attempt).toThrow(/PINECONE_INDEX_HOST: is required when AI_VECTOR_STORE=pinecone/);

    const config = loadConfig("ai", AiConfigSchema, {
      AI_VECTOR_STORE: "pinecone",
      PINECONE_API_KEY: "pcsk_test",
      PINECONE_INDEX_HOST: "docs-abc123.svc.aped-4627-b74a.pinecone.io",
    });
    expect(config.PINECONE_INDEX_HOST).toBe("https://docs-abc123.svc.aped-4627-b74a.pinecone.io");
    expect(
      loadConfig("ai", AiConfigSchema, {
        AI_VECTOR_STORE: "pinecone",
        PINECONE_API_KEY: "pcsk_test",
        PINECONE_INDEX_HOST: "http://127.0.0.1:5081",
      }).PINECONE_INDEX_HOST,
    ).toBe("http://127.0.0.1:5081");
  });
});
