import { AppError } from "@devflow/util-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EMBEDDING_DIMENSIONS } from "../embedder";
import { openAIError, startFakeOpenAIEmbeddings, type FakeOpenAIEmbeddings } from "../testing/fake-openai-embeddings";
import { headerValue } from "../testing/loopback-server";
import { createEmbedder, verifyEmbedder } from "./create-embedder";

const KEY = "sk-test-0123456789abcdefghij";
let openai: FakeOpenAIEmbeddings;
let local: FakeOpenAIEmbeddings;

beforeAll(async () => {
  openai = await startFakeOpenAIEmbeddings({ apiKey: KEY });
  // A self-hosted MiniLM-style model: 384 dimensions natively, no `dimensions` parameter, no key.
  local = await startFakeOpenAIEmbeddings({ nativeDimensions: 384, supportsDimensions: false });
});
afterAll(async () => {
  await openai?.close();
  await local?.close();
});
afterEach(() => {
  openai.requests.length = 0;
  local.requests.length = 0;
});

const embedderFor = (overrides: Partial<Parameters<typeof createEmbedder>[0]> = {}) =>
  createEmbedder({ provider: "openai", apiKey: KEY, baseUrl: openai.baseUrl, maxRetries: 0, ...overrides });

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0) / (norm(a) * norm(b));

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("OpenAI embedder", () => {
  it("sends the documented request with a bearer key and 384 dimensions, and returns unit vectors in input order", async () => {
    const embedder = embedderFor();
    expect(embedder).toMatchObject({ model: "openai/text-embedding-3-small", dimensions: 384, semantic: true });
    expect(embedder.minSimilarity).toBeGreaterThan(0);

    const vectors = await embedder.embed(["kestrel queue migration", "billing invoices", "kestrel queues migrate"]);

    expect(openai.requests).toHaveLength(1);
    const [request] = openai.requests;
    expect(request).toMatchObject({ method: "POST", path: "/v1/embeddings" });
    expect(headerValue(request!.headers, "authorization")).toBe(`Bearer ${KEY}`);
    expect(request!.body).toMatchObject({
      model: "text-embedding-3-small",
      input: ["kestrel queue migration", "billing invoices", "kestrel queues migrate"],
      dimensions: 384,
      // The SDK's compact transfer; the fake answers in base64 float32 and the SDK decodes it.
      encoding_format: "base64",
    });
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toHaveLength(EMBEDDING_DIMENSIONS);
      expect(Array.isArray(v)).toBe(true);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    expect(cosine(vectors[0]!, vectors[2]!)).toBeGreaterThan(cosine(vectors[0]!, vectors[1]!));
  });

  it("splits more than 2,048 inputs into several requests and keeps the order", async () => {
    const texts = Array.from({ length: 2_050 }, (_, i) => `note number w${i}`);
    const vectors = await embedderFor().embed(texts);
    expect(openai.requests.map((r) => (r.body as { input: string[] }).input.length)).toEqual([2_048, 2]);
    const [alone] = await embedderFor().embed(["note number w2049"]);
    expect(vectors[2_049]).toEqual(alone);
  });

  it("truncates an over-long input at a word boundary instead of letting the provider reject it", async () => {
    const long = "word ".repeat(5_000); // 25,000 characters
    await embedderFor().embed([long]);
    const sent = (openai.requests[0]!.body as { input: string[] }).input[0]!;
    expect(sent.length).toBeLessThanOrEqual(8_000);
    expect(sent.endsWith("word")).toBe(true);
  });

  it("does not send blank texts and gives them a zero vector (stored as no embedding)", async () => {
    const vectors = await embedderFor().embed(["  ", "kestrel"]);
    expect((openai.requests[0]!.body as { input: string[] }).input).toEqual(["kestrel"]);
    expect(vectors[0]!.every((v) => v === 0)).toBe(true);
    expect(norm(vectors[1]!)).toBeCloseTo(1, 5);
    await embedderFor().embed([""]);
    expect(openai.requests).toHaveLength(1);
  });

  it("maps 429 to ai_rate_limited with the Retry-After, without the key in the message", async () => {
    openai.failNext(
      openAIError(429, `Rate limit reached for key ${KEY}`, "requests", "rate_limit_exceeded", { "retry-after": "7" }),
    );
    const error = await failure(embedderFor().embed(["kestrel"]));
    expect(error).toMatchObject({ code: "ai_rate_limited", retryable: true });
    expect(error.details).toMatchObject({ status: 429, retryAfterSeconds: 7, provider: "openai" });
    expect(error.message).not.toContain(KEY);
    expect(JSON.stringify(error.details)).not.toContain(KEY);
    expect(error.cause).toBeUndefined();
  });

  it("maps a 500 to a retryable ai_provider_error and a refused key to a non-retryable one", async () => {
    openai.failNext(openAIError(500, "The server had an error while processing your request.", "server_error"));
    expect(await failure(embedderFor().embed(["kestrel"]))).toMatchObject({
      code: "ai_provider_error",
      retryable: true,
    });

    const error = await failure(embedderFor({ apiKey: "sk-wrong-key-000000000000" }).embed(["kestrel"]));
    expect(error).toMatchObject({ code: "ai_provider_error", retryable: false });
    expect(error.message).toMatch(/refused \(401\).*API key/);
    expect(error.message).not.toContain("sk-wrong-key");
  });

  it("retries a 429 when retries are allowed", async () => {
    openai.failNext(openAIError(429, "slow down", "requests", "rate_limit_exceeded", { "retry-after-ms": "10" }));
    const [vector] = await embedderFor({ maxRetries: 1 }).embed(["kestrel"]);
    expect(vector).toHaveLength(384);
    expect(openai.requests).toHaveLength(2);
  });

  it("times out a request that takes longer than timeoutMs with ai_timeout", async () => {
    openai.stallNext(2_000);
    const error = await failure(embedderFor({ timeoutMs: 100 }).embed(["kestrel"]));
    expect(error).toMatchObject({ code: "ai_timeout", retryable: true });
  });

  it("refuses text-embedding-ada-002 up front: it cannot return 384 dimensions", () => {
    expect(() => embedderFor({ model: "text-embedding-ada-002" })).toThrow(/1536 dimensions/);
    expect(() => createEmbedder({ provider: "openai" })).toThrow(
      expect.objectContaining({ code: "ai_not_configured" }),
    );
  });
});

describe("OpenAI-compatible embedder", () => {
  it("talks to the base URL without a key or Authorization header, asks for floats and no dimensions", async () => {
    const embedder = createEmbedder({ provider: "openai-compatible", baseUrl: local.baseUrl, model: "all-minilm" });
    expect(embedder.model).toBe("openai-compatible/all-minilm");
    const [vector] = await embedder.embed(["kestrel"]);
    expect(norm(vector!)).toBeCloseTo(1, 5);
    const [request] = local.requests;
    expect(headerValue(request!.headers, "authorization")).toBeUndefined();
    expect(request!.body).toMatchObject({ model: "all-minilm", encoding_format: "float" });
    expect(request!.body).not.toHaveProperty("dimensions");
  });

  it("never falls back to OPENAI_API_KEY from the environment for a keyless server", async () => {
    const before = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = "sk-from-environment-should-not-leak";
    try {
      await createEmbedder({ provider: "openai-compatible", baseUrl: local.baseUrl, model: "all-minilm" }).embed(["x"]);
      expect(JSON.stringify(local.requests[0]!.headers)).not.toContain("sk-from-environment");
    } finally {
      if (before === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = before;
    }
  });

  it("fails at the first call, and in verifyEmbedder, when the model's vectors are not 384 long", async () => {
    const wide = await startFakeOpenAIEmbeddings({ nativeDimensions: 768, supportsDimensions: false });
    try {
      const embedder = createEmbedder({
        provider: "openai-compatible",
        baseUrl: wide.baseUrl,
        model: "nomic-embed-text",
      });
      const error = await failure(verifyEmbedder(embedder));
      expect(error).toMatchObject({ code: "ai_provider_error", retryable: false });
      expect(error.message).toMatch(/returns 768-dimensional vectors; DevFlow stores 384/);
      await expect(embedder.embed(["a document chunk"])).rejects.toThrow(/768-dimensional/);
    } finally {
      await wide.close();
    }
  });

  it("asks a Matryoshka model for 384 dimensions when requestDimensions is set", async () => {
    const wide = await startFakeOpenAIEmbeddings({ nativeDimensions: 768, supportsDimensions: true });
    try {
      const embedder = createEmbedder({
        provider: "openai-compatible",
        baseUrl: wide.baseUrl,
        model: "nomic-embed-text",
        requestDimensions: true,
      });
      await verifyEmbedder(embedder);
      expect(wide.requests[0]!.body).toMatchObject({ dimensions: 384 });
    } finally {
      await wide.close();
    }
  });

  it("requires a base URL and a model, and rejects a base URL with credentials in it", () => {
    expect(() => createEmbedder({ provider: "openai-compatible", model: "m" })).toThrow(/base URL/);
    expect(() => createEmbedder({ provider: "openai-compatible", baseUrl: local.baseUrl })).toThrow(/model/);
    expect(() =>
      createEmbedder({ provider: "openai-compatible", baseUrl: "http://user:pw@127.0.0.1/v1", model: "m" }),
    ).toThrow(/credentials/);
  });
});
