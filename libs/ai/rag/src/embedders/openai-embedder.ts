import OpenAI from "openai";
import { EMBEDDING_DIMENSIONS, type Embedder } from "../embedder";
import { embedInBatches, type BatchLimits } from "./embedding-batches";
import { isTimeoutError, parseRetryAfter, toProviderAppError, type ProviderFailure } from "./provider-errors";

export const OPENAI_BASE_URL = "https://api.openai.com/v1";

// https://platform.openai.com/docs/api-reference/embeddings/create: at most 2,048 inputs per request,
// 8,192 tokens per input and 300,000 tokens per request. Characters stand in for tokens: English
// averages ~4 characters a token and nothing common is under 1, so these caps stay inside the
// token limits without a tokenizer.
const OPENAI_LIMITS: BatchLimits = { maxInputs: 2_048, maxCharsPerInput: 8_000, maxCharsPerRequest: 250_000 };

export interface OpenAIEmbedderOptions {
  /** "openai" for api.openai.com; "openai-compatible" for any server speaking POST /embeddings (vLLM, Ollama, LiteLLM…). */
  provider: "openai" | "openai-compatible";
  model: string;
  /** Absent only for an OpenAI-compatible server that needs no key (a local Ollama, say). */
  apiKey: string | undefined;
  /** Including the version path, e.g. http://localhost:11434/v1. Default api.openai.com/v1. */
  baseUrl: string | undefined;
  /** Per request; a retry gets a fresh timeout. */
  timeoutMs: number;
  /** Retries of 408/429/5xx and connection failures, with the SDK's backoff (honours Retry-After). */
  maxRetries: number;
  /** Send `dimensions: 384` (Matryoshka models that can shorten their vectors). */
  requestDimensions: boolean;
  minSimilarity: number;
}

/**
 * An embedder over the OpenAI embeddings endpoint, for OpenAI itself or any compatible server.
 * The client is built with every option explicit so nothing is read from the environment: an
 * unset key must never fall back to OPENAI_API_KEY and be sent to a third-party base URL.
 */
export function createOpenAIEmbedder(options: OpenAIEmbedderOptions): Embedder {
  const { provider, model, apiKey } = options;
  const client = new OpenAI({
    apiKey: apiKey ?? "no-key",
    baseURL: options.baseUrl ?? OPENAI_BASE_URL,
    organization: null,
    project: null,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries,
    // A keyless server gets no Authorization header at all rather than a placeholder one.
    ...(apiKey === undefined && { defaultHeaders: { Authorization: null } }),
  });
  const describe = { provider, model };

  async function embedBatch(batch: string[]): Promise<ArrayLike<number>[]> {
    try {
      const response = await client.embeddings.create({
        model,
        input: batch,
        ...(options.requestDimensions && { dimensions: EMBEDDING_DIMENSIONS }),
        // OpenAI itself: the SDK's default base64 transfer (a quarter of the bytes). Compatible
        // servers do not all implement base64, so they are asked for plain floats.
        ...(provider === "openai-compatible" && { encoding_format: "float" as const }),
      });
      // Each item carries its input's index; order by it rather than trusting the array order.
      return [...response.data].sort((a, b) => a.index - b.index).map((d) => d.embedding as ArrayLike<number>);
    } catch (error) {
      throw toProviderAppError(describeOpenAIFailure(error), {
        ...describe,
        operation: "embedding",
        secrets: [apiKey],
      });
    }
  }

  return {
    model: `${provider}/${model}`,
    dimensions: EMBEDDING_DIMENSIONS,
    semantic: true,
    minSimilarity: options.minSimilarity,
    embed: (texts) => embedInBatches(texts, OPENAI_LIMITS, embedBatch, describe),
  };
}

function describeOpenAIFailure(error: unknown): ProviderFailure {
  if (error instanceof OpenAI.APIConnectionTimeoutError || isTimeoutError(error)) return { timedOut: true };
  if (error instanceof OpenAI.APIError) {
    const body = error.error as { message?: unknown } | undefined;
    return {
      status: error.status,
      timedOut: error.status === 408,
      providerMessage: typeof body?.message === "string" ? body.message : undefined,
      retryAfterSeconds: parseRetryAfter(error.headers?.get("retry-after")),
    };
  }
  return { timedOut: false };
}
