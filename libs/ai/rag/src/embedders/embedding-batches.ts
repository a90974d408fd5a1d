import { AppError } from "@devflow/util-core";
import { EMBEDDING_DIMENSIONS } from "../embedder";

/** How much one provider request may carry. */
export interface BatchLimits {
  /** Most texts in one request (OpenAI: 2,048; Gemini batchEmbedContents: 100). */
  maxInputs: number;
  /** Longer texts are cut to this many UTF-16 code units before they are sent. */
  maxCharsPerInput: number;
  /** Most characters, summed over the texts, in one request (keeps a request under the provider's token cap). */
  maxCharsPerRequest: number;
}

/**
 * Cuts `text` to at most `maxChars`, preferring the last whitespace in the final tenth so a word is
 * not split, and never splitting a surrogate pair. The start of a passage carries its heading and
 * first sentences, which is what its embedding should be about; providers either reject or silently
 * truncate over-long inputs, and an explicit cut keeps the result the same everywhere.
 */
export function truncateForEmbedding(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let end = maxChars;
  const space = text.lastIndexOf(" ", end);
  const newline = text.lastIndexOf("\n", end);
  const boundary = Math.max(space, newline);
  if (boundary >= maxChars * 0.9) end = boundary;
  // A high surrogate at the end would leave half a character, which providers reject as invalid UTF-8.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

/**
 * Splits texts (already truncated) into consecutive groups within the limits, keeping order, so the
 * results of the requests concatenate back in input order.
 */
export function planBatches(texts: readonly string[], limits: BatchLimits): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let chars = 0;
  for (const text of texts) {
    if (current.length > 0 && (current.length >= limits.maxInputs || chars + text.length > limits.maxCharsPerRequest)) {
      batches.push(current);
      current = [];
      chars = 0;
    }
    current.push(text);
    chars += text.length;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** The vector scaled to length 1 (a zero vector stays zero: it has no direction to keep). */
export function l2Normalize(vector: ArrayLike<number>): number[] {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!;
  norm = Math.sqrt(norm);
  return Array.from(vector, (v) => (norm === 0 ? 0 : v / norm));
}

/**
 * Fails loudly when a provider returns vectors that `text_chunks.embedding` (vector(384)) or a
 * 384-dimension Pinecone index cannot hold, or not one vector per text: storing them would either
 * fail later, deep inside a transaction, or (worse) compare unrelated spaces.
 */
export function assertEmbeddingShape(
  vectors: readonly ArrayLike<number>[],
  expectedCount: number,
  describe: { provider: string; model: string },
): void {
  if (vectors.length !== expectedCount) {
    throw new AppError(
      "ai_provider_error",
      `${describe.provider} embedding model "${describe.model}" returned ${vectors.length} vectors for ${expectedCount} texts`,
      { report: true, retryable: true },
    );
  }
  for (const vector of vectors) {
    if (vector.length !== EMBEDDING_DIMENSIONS) {
      throw new AppError(
        "ai_provider_error",
        `${describe.provider} embedding model "${describe.model}" returns ${vector.length}-dimensional vectors; ` +
          `DevFlow stores ${EMBEDDING_DIMENSIONS} dimensions. Choose a model that returns ${EMBEDDING_DIMENSIONS} ` +
          `dimensions (or accepts a dimensions parameter) — vectors of another size are never stored.`,
        { report: true, retryable: false, details: { model: describe.model, dimensions: vector.length } },
      );
    }
    for (let i = 0; i < vector.length; i++) {
      if (!Number.isFinite(vector[i])) {
        throw new AppError(
          "ai_provider_error",
          `${describe.provider} embedding model "${describe.model}" returned a vector with a non-finite value`,
          { report: true, retryable: true },
        );
      }
    }
  }
}

/**
 * Embeds `texts` in provider-sized requests, one after another (a document is one or two requests;
 * running them in parallel would only hit the provider's rate limit sooner). Blank texts are not
 * sent — providers reject empty input — and get a zero vector, which the indexer stores as "no
 * embedding". Every vector comes back L2-normalised.
 */
export async function embedInBatches(
  texts: readonly string[],
  limits: BatchLimits,
  embedBatch: (batch: string[]) => Promise<ArrayLike<number>[]>,
  describe: { provider: string; model: string },
): Promise<number[][]> {
  const results: number[][] = texts.map(() => new Array<number>(EMBEDDING_DIMENSIONS).fill(0));
  const positions: number[] = [];
  const inputs: string[] = [];
  texts.forEach((text, i) => {
    if (text.trim() === "") return;
    positions.push(i);
    inputs.push(truncateForEmbedding(text, limits.maxCharsPerInput));
  });
  let next = 0;
  for (const batch of planBatches(inputs, limits)) {
    const vectors = await embedBatch(batch);
    assertEmbeddingShape(vectors, batch.length, describe);
    for (const vector of vectors) results[positions[next++]!] = l2Normalize(vector);
  }
  return results;
}
