import { AppError } from "@devflow/util-core";
import { EMBEDDING_DIMENSIONS, type Embedder } from "../embedder";
import { createOfflineEmbedder } from "../offline-embedder";
import { createGoogleEmbedder } from "./google-embedder";
import { createOpenAIEmbedder } from "./openai-embedder";

export const EMBEDDING_PROVIDERS = ["offline", "openai", "google", "openai-compatible"] as const;
export type EmbeddingProvider = (typeof EMBEDDING_PROVIDERS)[number];

export const DEFAULT_EMBEDDING_TIMEOUT_MS = 15_000;
export const DEFAULT_EMBEDDING_MAX_RETRIES = 2;
const DEFAULT_OPENAI_MODEL = "text-embedding-3-small";
const DEFAULT_GOOGLE_MODEL = "gemini-embedding-001";

/** Plain options (no dependency on config: the app maps its environment to these). */
export interface EmbedderOptions {
  /** Which embedder: the offline hashing default, or a hosted/self-hosted model. */
  provider: EmbeddingProvider;
  /** Model name as the provider spells it. Default text-embedding-3-small (openai), gemini-embedding-001 (google); required for openai-compatible. */
  model?: string;
  /** Provider key. Required for openai and google; optional for an openai-compatible server. */
  apiKey?: string;
  /** Required for openai-compatible, including the version path (http://localhost:11434/v1); optional override otherwise (proxies, tests). */
  baseUrl?: string;
  /** Per provider request, in milliseconds (default 15 s; at most 10 minutes). */
  timeoutMs?: number;
  /** Retries of throttled, timed-out or failed requests with backoff (default 2). */
  maxRetries?: number;
  /** Cosine similarity below which a neighbour counts as unrelated; default per model (see minSimilarityFor). */
  minSimilarity?: number;
  /**
   * openai-compatible only: send `dimensions: 384` (for Matryoshka models the server can shorten).
   * Off by default: servers reject the parameter for models that cannot shorten. Always on for
   * OpenAI's text-embedding-3-* models.
   */
  requestDimensions?: boolean;
}

/**
 * The embedder the options describe. Hosted models are `semantic` (neighbours can share meaning
 * without sharing words), return L2-normalised 384-dimension vectors, batch within the provider's
 * per-request limits, time out, and fail with AppError codes `ai_provider_error`, `ai_rate_limited`,
 * `ai_timeout` — or `ai_not_configured` here, when a required option is missing. The model
 * identifier stored with chunks is `<provider>/<model>`, so switching provider re-indexes even
 * when two providers use the same model name. Call `verifyEmbedder` at start-up to find out now,
 * rather than at the first indexing, that a model does not return 384 dimensions.
 */
export function createEmbedder(options: EmbedderOptions): Embedder {
  const timeoutMs = options.timeoutMs ?? DEFAULT_EMBEDDING_TIMEOUT_MS;
  const maxRetries = options.maxRetries ?? DEFAULT_EMBEDDING_MAX_RETRIES;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 600_000) {
    throw notConfigured(`embedding timeoutMs must be an integer between 1 and 600000, got ${timeoutMs}`);
  }
  if (!Number.isInteger(maxRetries) || maxRetries < 0 || maxRetries > 10) {
    throw notConfigured(`embedding maxRetries must be an integer between 0 and 10, got ${maxRetries}`);
  }
  if (options.minSimilarity !== undefined && !(options.minSimilarity >= -1 && options.minSimilarity < 1)) {
    throw notConfigured(`embedding minSimilarity must be in [-1, 1), got ${options.minSimilarity}`);
  }
  const baseUrl = options.baseUrl === undefined ? undefined : checkBaseUrl(options.baseUrl);

  switch (options.provider) {
    case "offline":
      return createOfflineEmbedder();
    case "openai": {
      const model = options.model ?? DEFAULT_OPENAI_MODEL;
      if (!options.apiKey) throw notConfigured("the openai embedding provider needs an API key");
      if (model === "text-embedding-ada-002") {
        throw notConfigured(
          `OpenAI model ${model} only returns 1536 dimensions; DevFlow stores ${EMBEDDING_DIMENSIONS}. ` +
            `Use text-embedding-3-small or text-embedding-3-large, which can shorten their vectors.`,
        );
      }
      return createOpenAIEmbedder({
        provider: "openai",
        model,
        apiKey: options.apiKey,
        baseUrl,
        timeoutMs,
        maxRetries,
        requestDimensions: true,
        minSimilarity: options.minSimilarity ?? minSimilarityFor("openai", model),
      });
    }
    case "openai-compatible": {
      if (!baseUrl) throw notConfigured("the openai-compatible embedding provider needs a base URL");
      if (!options.model) throw notConfigured("the openai-compatible embedding provider needs a model name");
      return createOpenAIEmbedder({
        provider: "openai-compatible",
        model: options.model,
        apiKey: options.apiKey || undefined,
        baseUrl,
        timeoutMs,
        maxRetries,
        requestDimensions: options.requestDimensions ?? false,
        minSimilarity: options.minSimilarity ?? minSimilarityFor("openai-compatible", options.model),
      });
    }
    case "google": {
      const model = options.model ?? DEFAULT_GOOGLE_MODEL;
      if (!options.apiKey) throw notConfigured("the google embedding provider needs an API key");
      return createGoogleEmbedder({
        model,
        apiKey: options.apiKey,
        baseUrl,
        timeoutMs,
        maxRetries,
        minSimilarity: options.minSimilarity ?? minSimilarityFor("google", model),
      });
    }
    default:
      throw notConfigured(`unknown embedding provider "${String((options as { provider: unknown }).provider)}"`);
  }
}

// Where unrelated texts typically score for each model family, so the cut-off sits above that
// noise and below what related passages score. Models differ a lot: ada-era and E5 models put
// almost everything above 0.7, MiniLM and text-embedding-3 put unrelated text near 0. These are
// starting points from the models' published score ranges, not tuned on DevFlow data; override
// with `minSimilarity` after looking at real queries.
const MIN_SIMILARITY_BY_MODEL: readonly [RegExp, number][] = [
  [/^text-embedding-3-/, 0.2],
  [/gemini-embedding|text-embedding-004|embedding-001/, 0.4],
  [/minilm/i, 0.25],
  [/bge-/i, 0.45],
  [/e5-/i, 0.75],
  [/nomic-embed/i, 0.35],
  [/arctic-embed/i, 0.3],
];
const MIN_SIMILARITY_UNKNOWN_MODEL = 0.3;

/** The default `minSimilarity` for a model (see the table above). */
export function minSimilarityFor(provider: Exclude<EmbeddingProvider, "offline">, model: string): number {
  for (const [pattern, value] of MIN_SIMILARITY_BY_MODEL) if (pattern.test(model)) return value;
  return provider === "openai" ? 0.2 : MIN_SIMILARITY_UNKNOWN_MODEL;
}

/**
 * Embeds one probe text and checks the vector is usable (384 finite values, not all zero). Call it
 * at start-up: a wrong key, an unreachable server or a model with other dimensions then stops the
 * app with a clear AppError instead of failing every indexing attempt later.
 */
export async function verifyEmbedder(embedder: Embedder): Promise<void> {
  const [vector] = await embedder.embed(["DevFlow embedding check"]);
  if (!vector || vector.length !== EMBEDDING_DIMENSIONS || vector.every((v) => v === 0)) {
    throw new AppError(
      "ai_provider_error",
      `Embedding model ${embedder.model} returned an unusable vector (${vector?.length ?? 0} dimensions, expected ${EMBEDDING_DIMENSIONS})`,
      { report: true, retryable: false },
    );
  }
}

function checkBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw notConfigured(`embedding base URL is not a URL: ${JSON.stringify(value.slice(0, 200))}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw notConfigured(`embedding base URL must be http(s), got ${url.protocol}`);
  }
  if (url.username || url.password) {
    throw notConfigured("embedding base URL must not carry credentials; pass the key as apiKey");
  }
  return value.replace(/\/+$/, "");
}

function notConfigured(message: string): AppError {
  return new AppError("ai_not_configured", message, { report: true, retryable: false });
}
