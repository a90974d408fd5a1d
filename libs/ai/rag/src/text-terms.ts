/**
 * Word-level text handling shared by the offline embedder and match highlighting, so that what
 * scores as a match and what is highlighted as one are decided by the same rules.
 */

export interface WordSpan {
  /** Lower-cased, diacritics removed. */
  word: string;
  /** UTF-16 offsets into the text the word was read from. */
  start: number;
  end: number;
}

// Letters and digits, joined by an inner apostrophe or hyphen ("don't", "read-only") so that
// hyphenated terms stay one word the way Postgres' english parser mostly treats them.
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/** Words of `text` with their offsets, in order. */
export function wordSpans(text: string): WordSpan[] {
  const spans: WordSpan[] = [];
  for (const match of text.matchAll(WORD)) {
    spans.push({ word: normalizeWord(match[0]), start: match.index, end: match.index + match[0].length });
  }
  return spans;
}

/** Lower case without diacritics, so "Café" and "cafe" are one word. */
export function normalizeWord(word: string): string {
  return word
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/’/g, "'");
}

/**
 * The English words Postgres' `english` text-search configuration drops as stop words (a subset is
 * enough: the frequent ones that would otherwise dominate a hashed vector).
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "a about above after again against all am an and any are as at be because been before being below between " +
    "both but by can could did do does doing down during each few for from further had has have having he her " +
    "here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not " +
    "now of off on once only or other our ours ourselves out over own same she should so some such than that the " +
    "their theirs them themselves then there these they this those through to too under until up very was we " +
    "were what when where which while who whom why will with would you your yours yourself yourselves"
  ).split(" "),
);

/**
 * A deliberately small suffix stripper: plural, past, gerund and a few derivational endings, so
 * "caching", "caches" and "cached" meet at "cach". Not Porter; it only has to agree with itself.
 */
export function stem(word: string): string {
  if (word.length <= 3 || /^\d/.test(word)) return word;
  const rules: [RegExp, string][] = [
    [/ational$/, "ate"],
    [/ization$/, "ize"],
    [/fulness$/, "ful"],
    [/iveness$/, "ive"],
    [/ations?$/, "ate"],
    [/ements?$/, ""],
    [/ments?$/, ""],
    [/ness$/, ""],
    [/ities$/, "ity"],
    [/ies$/, "y"],
    [/ied$/, "y"],
    [/(ss)es$/, "$1"],
    [/(sh|ch|x|z)es$/, "$1"],
    [/ing$/, ""],
    [/edly$/, ""],
    [/ed$/, ""],
    [/ly$/, ""],
    [/ers?$/, ""],
    [/([^su])s$/, "$1"],
  ];
  let stemmed = word;
  for (const [suffix, replacement] of rules) {
    if (!suffix.test(word)) continue;
    stemmed = word.replace(suffix, replacement);
    break;
  }
  // "cache" and "caching" should meet, and "running" should reach "run".
  stemmed = stemmed.replace(/([^aeiou])e$/, "$1").replace(/([^aeiouls])\1$/, "$1");
  // Keep at least three characters: "bed" must not become "b".
  return stemmed.length >= 3 ? stemmed : word;
}

/** The searchable terms of a query or passage: stems of its non-stop words, in order. */
export function contentTerms(text: string): string[] {
  return wordSpans(text)
    .map((s) => s.word)
    .filter((w) => !STOP_WORDS.has(w))
    .map(stem);
}
