import { ApiError, GoogleGenAI } from "@google/genai";
import { EMBEDDING_DIMENSIONS, type Embedder } from "../embedder";
import { embedInBatches, type BatchLimits } from "./embedding-batches";
import { isTimeoutError, toProviderAppError, type ProviderFailure } from "./provider-errors";

export const GOOGLE_BASE_URL = "https://generativelanguage.googleapis.com";

// batchEmbedContents takes at most 100 requests; gemini-embedding-001 reads 2,048 tokens of each
// input. 6,000 characters is ~1,500 English tokens: inside the limit with room for denser text.
const GOOGLE_LIMITS: BatchLimits = { maxInputs: 100, maxCharsPerInput: 6_000, maxCharsPerRequest: 200_000 };

export interface GoogleEmbedderOptions {
  model: string;
  apiKey: string;
  /** Default generativelanguage.googleapis.com (the Gemini Developer API, not Vertex AI). */
  baseUrl: string | undefined;
  /** Per request; a retry gets a fresh timeout. */
  timeoutMs: number;
  /** Retries of 408/429/5xx with the SDK's exponential backoff. */
  maxRetries: number;
  minSimilarity: number;
}

/**
 * An embedder over the Gemini API's embedding models: one batchEmbedContents call per ≤100 texts,
 * `outputDimensionality: 384` (Matryoshka truncation), L2-normalised here because Gemini returns
 * truncated vectors un-normalised. Vertex AI mode is off explicitly so GOOGLE_GENAI_USE_VERTEXAI
 * in the environment cannot reroute the key to another API.
 */
export function createGoogleEmbedder(options: GoogleEmbedderOptions): Embedder {
  const { model, apiKey } = options;
  const client = new GoogleGenAI({
    apiKey,
    vertexai: false,
    httpOptions: {
      baseUrl: options.baseUrl ?? GOOGLE_BASE_URL,
      timeout: options.timeoutMs,
      retryOptions: { attempts: options.maxRetries + 1 },
    },
  });
  const describe = { provider: "google", model };

  async function embedBatch(batch: string[]): Promise<ArrayLike<number>[]> {
    try {
      const response = await client.models.embedContent({
        model,
        // One Content per text: a bare string array would be merged into a single multi-part
        // content for some models and come back as one vector.
        contents: batch.map((text) => ({ parts: [{ text }] })),
        config: { outputDimensionality: EMBEDDING_DIMENSIONS },
      });
      return (response.embeddings ?? []).map((e) => e.values ?? []);
    } catch (error) {
      throw toProviderAppError(describeGoogleFailure(error), {
        ...describe,
        operation: "embedding",
        secrets: [apiKey],
      });
    }
  }

  return {
    model: `google/${model}`,
    dimensions: EMBEDDING_DIMENSIONS,
    semantic: true,
    minSimilarity: options.minSimilarity,
    embed: (texts) => embedInBatches(texts, GOOGLE_LIMITS, embedBatch, describe),
  };
}

function describeGoogleFailure(error: unknown): ProviderFailure {
  if (isTimeoutError(error)) return { timedOut: true };
  if (error instanceof ApiError) {
    return { status: error.status, timedOut: error.status === 408, providerMessage: googleMessage(error.message) };
  }
  return { timedOut: false };
}

/** The SDK puts the whole JSON error body in `message`; the human part is error.message. */
function googleMessage(raw: string): string | undefined {
  try {
    const parsed = JSON.parse(raw) as { error?: { message?: unknown } };
    return typeof parsed.error?.message === "string" ? parsed.error.message : undefined;
  } catch {
    return raw;
  }
}
