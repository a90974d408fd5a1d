import { STOP_WORDS, stem, wordSpans } from "./text-terms";

export interface Highlight {
  /** UTF-16 offsets into the passage's content. */
  start: number;
  end: number;
}

/**
 * Where the query's words occur in `content`: every word whose stem equals a query word's stem
 * ("cache" marks "caching" and "Caches"), stop words left out unless the query is nothing else.
 */
export function findHighlights(content: string, query: string): Highlight[] {
  const queryWords = wordSpans(query).map((s) => s.word);
  const meaningful = queryWords.filter((w) => !STOP_WORDS.has(w));
  const wanted = new Set((meaningful.length ? meaningful : queryWords).map(stem));
  if (wanted.size === 0) return [];
  return wordSpans(content)
    .filter((span) => wanted.has(stem(span.word)))
    .map(({ start, end }) => ({ start, end }));
}
