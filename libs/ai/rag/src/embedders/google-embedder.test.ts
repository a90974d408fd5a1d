import { AppError } from "@devflow/util-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EMBEDDING_DIMENSIONS } from "../embedder";
import { geminiError, startFakeGeminiEmbeddings } from "../testing/fake-gemini-embeddings";
import { headerValue, type LoopbackServer } from "../testing/loopback-server";
import { createEmbedder } from "./create-embedder";

const KEY = "AIzaSyTest0123456789abcdefghijklmno";
let gemini: LoopbackServer;

beforeAll(async () => {
  gemini = await startFakeGeminiEmbeddings({ apiKey: KEY });
});
afterAll(async () => {
  await gemini?.close();
});
afterEach(() => {
  gemini.requests.length = 0;
});

const embedderFor = (overrides: Partial<Parameters<typeof createEmbedder>[0]> = {}) =>
  createEmbedder({ provider: "google", apiKey: KEY, baseUrl: gemini.url, maxRetries: 0, ...overrides });

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("Google embedder", () => {
  it("calls batchEmbedContents with the key header, one content per text and outputDimensionality 384", async () => {
    const embedder = embedderFor();
    expect(embedder).toMatchObject({ model: "google/gemini-embedding-001", dimensions: 384, semantic: true });

    const vectors = await embedder.embed(["kestrel queue migration", "billing invoices"]);

    expect(gemini.requests).toHaveLength(1);
    const [request] = gemini.requests;
    expect(request).toMatchObject({ method: "POST", path: "/v1beta/models/gemini-embedding-001:batchEmbedContents" });
    expect(headerValue(request!.headers, "x-goog-api-key")).toBe(KEY);
    expect(request!.query.get("key")).toBeNull(); // the key travels in a header, never in the URL
    expect(request!.body).toEqual({
      requests: [
        {
          model: "models/gemini-embedding-001",
          content: { parts: [{ text: "kestrel queue migration" }] },
          outputDimensionality: 384,
        },
        {
          model: "models/gemini-embedding-001",
          content: { parts: [{ text: "billing invoices" }] },
          outputDimensionality: 384,
        },
      ],
    });
    // Gemini returns shortened vectors un-normalised; the embedder normalises them.
    for (const v of vectors) {
      expect(v).toHaveLength(EMBEDDING_DIMENSIONS);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
  });

  it("sends at most 100 texts per batch and keeps the order across batches", async () => {
    const texts = Array.from({ length: 230 }, (_, i) => `chunk w${i}`);
    const vectors = await embedderFor().embed(texts);
    expect(gemini.requests.map((r) => (r.body as { requests: unknown[] }).requests.length)).toEqual([100, 100, 30]);
    const [last] = await embedderFor().embed(["chunk w229"]);
    expect(vectors[229]).toEqual(last);
  });

  it("truncates an over-long input before sending it", async () => {
    await embedderFor().embed(["x".repeat(50_000)]);
    const sent = (gemini.requests[0]!.body as { requests: { content: { parts: { text: string }[] } }[] }).requests[0]!;
    expect(sent.content.parts[0]!.text.length).toBeLessThanOrEqual(6_000);
  });

  it("maps 429 RESOURCE_EXHAUSTED to ai_rate_limited and 500 INTERNAL to a retryable ai_provider_error", async () => {
    gemini.failNext(geminiError(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."));
    const limited = await failure(embedderFor().embed(["kestrel"]));
    expect(limited).toMatchObject({ code: "ai_rate_limited", retryable: true });
    expect(limited.message).toContain("Resource has been exhausted");

    gemini.failNext(geminiError(500, "INTERNAL", "An internal error has occurred."));
    expect(await failure(embedderFor().embed(["kestrel"]))).toMatchObject({
      code: "ai_provider_error",
      retryable: true,
    });
  });

  it("retries a 503 when retries are allowed", async () => {
    gemini.failNext(geminiError(503, "UNAVAILABLE", "The model is overloaded."));
    const [vector] = await createEmbedder({
      provider: "google",
      apiKey: KEY,
      baseUrl: gemini.url,
      maxRetries: 1,
    }).embed(["kestrel"]);
    expect(vector).toHaveLength(384);
    expect(gemini.requests).toHaveLength(2);
  });

  it("reports an invalid key as a non-retryable ai_provider_error without the key", async () => {
    const wrong = "AIzaSyWrong0000000000000000000000000";
    const error = await failure(embedderFor({ apiKey: wrong }).embed(["kestrel"]));
    expect(error).toMatchObject({ code: "ai_provider_error", retryable: false });
    expect(error.message).toContain("API key not valid");
    expect(error.message).not.toContain(wrong);
  });

  it("times out with ai_timeout", async () => {
    gemini.stallNext(2_000);
    expect(await failure(embedderFor({ timeoutMs: 100 }).embed(["kestrel"]))).toMatchObject({ code: "ai_timeout" });
  });

  it("fails clearly when the model ignores outputDimensionality and returns another size", async () => {
    const old = await startFakeGeminiEmbeddings({
      apiKey: KEY,
      nativeDimensions: 768,
      ignoreOutputDimensionality: true,
    });
    try {
      const error = await failure(embedderFor({ baseUrl: old.url, model: "embedding-001" }).embed(["kestrel"]));
      expect(error).toMatchObject({ code: "ai_provider_error", retryable: false });
      expect(error.message).toMatch(/returns 768-dimensional vectors; DevFlow stores 384/);
    } finally {
      await old.close();
    }
  });

  it("rejects an out-of-range outputDimensionality as a non-retryable ai_provider_error", async () => {
    const small = await startFakeGeminiEmbeddings({ apiKey: KEY, nativeDimensions: 256 });
    try {
      const error = await failure(embedderFor({ baseUrl: small.url }).embed(["kestrel"]));
      expect(error).toMatchObject({ code: "ai_provider_error", retryable: false });
      expect(error.message).toContain("outputDimensionality");
    } finally {
      await small.close();
    }
  });

  it("requires an API key", () => {
    expect(() => createEmbedder({ provider: "google" })).toThrow(
      expect.objectContaining({ code: "ai_not_configured" }),
    );
  });
});
