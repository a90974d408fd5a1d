import { EMBEDDING_DIMENSIONS, type Embedder } from "./embedder";
import { STOP_WORDS, stem, wordSpans } from "./text-terms";

export const OFFLINE_EMBEDDING_MODEL = "offline-hashing-384";

// Relative weights of the three kinds of feature. Whole words carry the meaning; bigrams reward
// phrases that appear together; trigrams of characters let typos and other word forms still overlap.
const UNIGRAM_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.6;
const TRIGRAM_WEIGHT = 1;

// Texts that share no word still collide in some of the 384 buckets: their cosine scatters around 0
// with a standard deviation near 1/sqrt(384) ≈ 0.05. Three deviations keeps that noise out while a
// shared word or a close misspelling (typically 0.15 and up) gets through.
const OFFLINE_MIN_SIMILARITY = 0.15;

/**
 * The default embedder: needs no model and no network. It hashes normalised word unigrams (stemmed),
 * word bigrams and character trigrams into 384 signed buckets and L2-normalises the result, so
 * cosine similarity measures shared words and near-identical spellings. It is lexical, not semantic:
 * "car" and "automobile" do not meet. Deterministic across processes and platforms.
 */
export function createOfflineEmbedder(): Embedder {
  return {
    model: OFFLINE_EMBEDDING_MODEL,
    dimensions: EMBEDDING_DIMENSIONS,
    semantic: false,
    minSimilarity: OFFLINE_MIN_SIMILARITY,
    async embed(texts) {
      return texts.map(hashEmbedding);
    },
  };
}

/** The feature-hashed vector of one text (exported for tests and the benchmark's data generator). */
export function hashEmbedding(text: string): number[] {
  const vector = new Float64Array(EMBEDDING_DIMENSIONS);
  const words = wordSpans(text)
    .map((s) => s.word)
    .filter((w) => !STOP_WORDS.has(w));
  const add = (feature: string, weight: number) => {
    const h = fnv1a(feature);
    // The top bit picks the sign so that collisions cancel out on average instead of piling up.
    vector[h % EMBEDDING_DIMENSIONS]! += h & 0x80000000 ? -weight : weight;
  };
  let previous: string | undefined;
  for (const word of words) {
    const stemmed = stem(word);
    add(`w:${stemmed}`, UNIGRAM_WEIGHT);
    if (previous !== undefined) add(`b:${previous} ${stemmed}`, BIGRAM_WEIGHT);
    previous = stemmed;
    const padded = `<${word}>`;
    const trigrams = padded.length - 2;
    // A long word contributes as much through its trigrams as a short one, not more.
    for (let i = 0; i < trigrams; i++) add(`t:${padded.slice(i, i + 3)}`, TRIGRAM_WEIGHT / Math.sqrt(trigrams));
  }
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm);
  return Array.from(vector, (v) => (norm === 0 ? 0 : v / norm));
}

/** 32-bit FNV-1a over UTF-16 code units: tiny, fast and stable, which is all bucket hashing needs. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
