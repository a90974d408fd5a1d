import type { ChatModel, ChatRequest, ChatStreamEvent, CitablePassage } from "./chat-model";

export const NO_MODEL_PREAMBLE =
  "No language model is configured, so here are the passages that best match your question:";
export const NOTHING_FOUND =
  "No language model is configured, and I found nothing in the workspace that matches your question. " +
  "Try other words, or check that the documents you expect are shared with you.";

const MAX_PASSAGES = 3;
const MAX_SENTENCES_PER_PASSAGE = 2;
/** A quoted sentence longer than this is cut at a word boundary, marked with "…". */
const MAX_QUOTE_CHARS = 400;

/**
 * The answerer used when no language model is configured: it writes no prose of its own. For the
 * last user question it picks the 1–3 passages that share the most words with it (words retrieval
 * highlighted count double), quotes their most relevant sentences verbatim with `[ref]` markers,
 * and says plainly that no language model is configured. Usage is always zero; it never calls tools.
 */
export function createExtractiveAnswerer(): ChatModel {
  return {
    provider: "extractive",
    model: "extractive-quotes",
    generative: false,
    contextTokens: 8_192,
    stream: (request) => streamExtractiveAnswer(request),
  };
}

async function* streamExtractiveAnswer(request: ChatRequest): AsyncGenerator<ChatStreamEvent> {
  const question = [...request.messages].reverse().find((m) => m.role === "user")?.content ?? "";
  const chunks = composeAnswer(question, request.passages ?? []);
  for (const delta of chunks) {
    request.signal?.throwIfAborted();
    yield { type: "text", delta };
  }
  yield { type: "done", finishReason: "stop", usage: { inputTokens: 0, outputTokens: 0 } };
}

/** The answer as the chunks it is streamed in: the preamble, then one block per quoted passage. */
export function composeAnswer(question: string, passages: readonly CitablePassage[]): string[] {
  if (passages.length === 0) return [NOTHING_FOUND];
  const terms = new Set(termsOf(question));
  const chosen = choosePassages(terms, passages);
  const blocks = chosen.map((passage) => quoteBlock(terms, passage));
  return [NO_MODEL_PREAMBLE, ...blocks.map((block) => `\n\n${block}`)];
}

function choosePassages(terms: Set<string>, passages: readonly CitablePassage[]): CitablePassage[] {
  const scored = passages.map((passage, rank) => ({ passage, rank, score: passageScore(terms, passage) }));
  scored.sort((a, b) => b.score - a.score || a.rank - b.rank);
  const best = scored[0]!;
  // Keep passages at least half as relevant as the best; retrieval's order breaks ties, and when no
  // passage shares a word (a semantic match) its top passage stands alone.
  const kept = scored.filter((s, i) => i === 0 || (best.score > 0 && s.score >= best.score / 2)).slice(0, MAX_PASSAGES);
  return kept.sort((a, b) => a.passage.ref - b.passage.ref).map((s) => s.passage);
}

function passageScore(terms: Set<string>, passage: CitablePassage): number {
  const bodyTerms = new Set(termsOf(passage.text));
  const titleTerms = new Set(termsOf(`${passage.title} ${passage.heading ?? ""}`));
  let score = 0;
  for (const term of terms) {
    if (bodyTerms.has(term)) score += 1;
    if (titleTerms.has(term)) score += 0.5;
  }
  // Retrieval's highlights are the question's words as it matched them, stemming included.
  score += Math.min(passage.highlights?.length ?? 0, 5) * 0.5;
  return score;
}

interface Sentence {
  text: string;
  start: number;
  end: number;
}

function quoteBlock(terms: Set<string>, passage: CitablePassage): string {
  const sentences = splitSentences(passage.text);
  const scored = sentences.map((sentence, index) => ({
    sentence,
    index,
    score: sentenceScore(terms, sentence, passage),
  }));
  const relevant = scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, MAX_SENTENCES_PER_PASSAGE)
    .sort((a, b) => a.index - b.index);
  const picked = relevant.length > 0 ? relevant : scored.slice(0, 1);
  const quote = picked.map((s) => clip(s.sentence.text)).join(" … ");
  const where = passage.heading ? `**${passage.title}** — ${passage.heading}` : `**${passage.title}**`;
  return `${where}\n> ${quote.replace(/\n/g, " ")} [${passage.ref}]`;
}

function sentenceScore(terms: Set<string>, sentence: Sentence, passage: CitablePassage): number {
  const words = new Set(termsOf(sentence.text));
  let score = 0;
  for (const term of terms) if (words.has(term)) score += 1;
  for (const h of passage.highlights ?? []) {
    if (h.start < sentence.end && h.end > sentence.start) score += 1;
  }
  return score;
}

/** Sentences with their offsets in the passage: split after . ! ? followed by space, and at blank lines. */
export function splitSentences(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  const boundary = /(?<=[.!?])\s+(?=\S)|\n\s*\n|\n(?=\s*(?:[-*+]|\d+\.|#)\s)/g;
  let start = 0;
  for (const match of text.matchAll(boundary)) {
    pushSentence(sentences, text, start, match.index);
    start = match.index + match[0].length;
  }
  pushSentence(sentences, text, start, text.length);
  return sentences;
}

function pushSentence(into: Sentence[], text: string, start: number, end: number) {
  const raw = text.slice(start, end);
  const lead = raw.length - raw.trimStart().length;
  const trimmed = raw.trim();
  if (trimmed) into.push({ text: trimmed, start: start + lead, end: start + lead + trimmed.length });
}

function clip(sentence: string): string {
  if (sentence.length <= MAX_QUOTE_CHARS) return sentence;
  const cut = sentence.slice(0, MAX_QUOTE_CHARS);
  const lastSpace = cut.lastIndexOf(" ");
  return `${cut.slice(0, lastSpace > MAX_QUOTE_CHARS / 2 ? lastSpace : MAX_QUOTE_CHARS)}…`;
}

const STOPWORDS = new Set(
  (
    "a an and are as at be but by can do does did for from has have how i if in into is it its me my no not of on or our " +
    "so that the their them then there these they this to was we were what when where which who whom why will with you your " +
    "about any all should would could tell show find please"
  ).split(" "),
);

/** Lower-cased, lightly stemmed words without stopwords, so "deploys" meets "deploy". */
export function termsOf(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.filter((w) => w.length > 1 && !STOPWORDS.has(w)).map(stem);
}

function stem(word: string): string {
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("es") && /(?:ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}
