import { approximateTokens, type ChatMessage, type CitablePassage } from "@devflow/ai-llm";
import type { RetrievedPassage } from "@devflow/ai-rag";
import type { ChatMessageDto } from "@devflow/contracts";
import { renderPassage, systemPrompt, type PromptFacts } from "./prompt";

/** A window of the open document's text at `version`: `text` is `content.slice(start, end)`. */
export interface DocumentExcerpt {
  documentId: string;
  title: string;
  version: number;
  start: number;
  end: number;
  text: string;
  /** The person's selection inside the document (offsets into the whole text), if not empty. */
  selection: { from: number; to: number } | null;
}

export interface ContextInput {
  /** The model's context window, in tokens. */
  contextTokens: number;
  /** Tokens kept free for the answer. */
  outputTokens: number;
  question: string;
  /** Earlier turns of the conversation, oldest first, without the question. */
  history: readonly Pick<ChatMessageDto, "role" | "content">[];
  project: PromptFacts["project"];
  excerpt: DocumentExcerpt | null;
  /** Retrieved passages, best first. */
  passages: readonly RetrievedPassage[];
  hasTools: boolean;
}

export interface AssembledContext {
  messages: ChatMessage[];
  /** The passages the prompt numbers, `ref` 1…n: the open document's excerpt first when there is one. */
  passages: CitablePassage[];
  /** Tokens the prompt is estimated to take. */
  promptTokens: number;
}

/** Share of the room left after the question that the open document's excerpt may take. */
const EXCERPT_SHARE = 0.3;
/** Share the excerpt and retrieved passages together may take; the rest is for earlier turns. */
const SOURCES_SHARE = 0.75;
/** Slack for the estimate's error and the providers' per-message overhead. */
const SAFETY_MARGIN = 0.9;
/** Earlier turns beyond these are not worth their tokens. */
export const HISTORY_TURNS_MAX = 12;

/**
 * Builds the prompt within the model's window: the system prompt with the project, the open
 * document's excerpt (the passage around the cursor or selection) and retrieved passages (from
 * documents and uploaded files) as numbered sources, then as many recent turns as still fit, then the question. What does not fit
 * is left out whole — a passage cut in half would cite text the model never saw.
 */
export function assembleContext(input: ContextInput): AssembledContext {
  const facts: PromptFacts = {
    project: input.project,
    openDocument: input.excerpt
      ? {
          title: input.excerpt.title,
          version: input.excerpt.version,
          selectedText: selectedText(input.excerpt),
        }
      : null,
    hasTools: input.hasTools,
  };
  const fixed = approximateTokens(systemPrompt(facts, [])) + approximateTokens(input.question);
  const room = Math.max(0, Math.floor((input.contextTokens - input.outputTokens) * SAFETY_MARGIN) - fixed);

  const passages: CitablePassage[] = [];
  let used = 0;
  if (input.excerpt) {
    for (const piece of excerptPassages(input.excerpt, Math.floor(room * EXCERPT_SHARE))) {
      passages.push(piece);
      used += approximateTokens(renderPassage(piece));
    }
  }
  for (const retrieved of input.passages) {
    const passage = toCitable(retrieved, passages.length + 1);
    if (!passage || passages.some((p) => overlaps(p, passage))) continue;
    const cost = approximateTokens(renderPassage(passage));
    if (used + cost > room * SOURCES_SHARE) continue;
    passages.push(passage);
    used += cost;
  }

  const turns: ChatMessage[] = [];
  for (const turn of input.history.slice(-HISTORY_TURNS_MAX).reverse()) {
    const cost = approximateTokens(turn.content) + 4;
    if (used + cost > room) break;
    turns.unshift({ role: turn.role, content: turn.content });
    used += cost;
  }
  // A conversation must not open with an answer whose question was left out.
  while (turns[0]?.role === "assistant") turns.shift();

  const system = systemPrompt(facts, passages);
  const messages: ChatMessage[] = [
    { role: "system", content: system },
    ...turns,
    { role: "user", content: input.question },
  ];
  return {
    messages,
    passages,
    promptTokens: messages.reduce((sum, m) => sum + approximateTokens(m.content), 0),
  };
}

/** A retrieved passage as a numbered source: a document's or a file's; null for kinds that cannot be cited yet. */
function toCitable(passage: RetrievedPassage, ref: number): CitablePassage | null {
  const text = {
    ref,
    title: passage.title,
    heading: passage.heading,
    version: passage.sourceVersion,
    start: passage.startOffset,
    end: passage.endOffset,
    text: passage.content,
    highlights: passage.highlights,
  };
  switch (passage.sourceType) {
    case "document":
      return { ...text, sourceType: "document", documentId: passage.sourceId };
    case "file":
      return { ...text, sourceType: "file", fileId: passage.sourceId };
    default:
      return null;
  }
}

/** Two passages of the same text at the same version that share characters: keep only the first. */
function overlaps(a: CitablePassage, b: CitablePassage): boolean {
  return sourceKey(a) === sourceKey(b) && a.version === b.version && a.start < b.end && b.start < a.end;
}

/** Which source a passage is from: a document and a file never share a key, even with equal ids. */
function sourceKey(passage: CitablePassage): string {
  return passage.sourceType === "file" ? `file:${passage.fileId}` : `document:${passage.documentId}`;
}

function selectedText(excerpt: DocumentExcerpt): string | null {
  const { selection } = excerpt;
  if (!selection || selection.from === selection.to) return null;
  const from = Math.max(selection.from, excerpt.start) - excerpt.start;
  const to = Math.min(selection.to, excerpt.end) - excerpt.start;
  return to > from ? excerpt.text.slice(from, to) : null;
}

/** A piece of the open document grows to about this many characters before the next one starts. */
const PIECE_CHARS = 800;

/**
 * The open document's excerpt as numbered sources, one per section or few paragraphs (a new piece
 * at every heading), so a citation points at the paragraph it used rather than at the whole
 * document. Pieces nearest the selection (or the excerpt's start) are kept first, within `budget`
 * tokens, then numbered in document order from 1.
 */
function excerptPassages(excerpt: DocumentExcerpt, budget: number): CitablePassage[] {
  const pieces = splitPieces(excerpt.text).map((p) => ({ start: excerpt.start + p.start, end: excerpt.start + p.end }));
  const focus = excerpt.selection?.from ?? excerpt.start;
  const distance = (p: { start: number; end: number }) =>
    focus < p.start ? p.start - focus : focus > p.end ? focus - p.end : 0;
  const kept: { start: number; end: number }[] = [];
  let used = 0;
  for (const piece of [...pieces].sort((a, b) => distance(a) - distance(b) || a.start - b.start)) {
    const cost = approximateTokens(excerpt.text.slice(piece.start - excerpt.start, piece.end - excerpt.start)) + 20;
    if (used + cost > budget) continue;
    kept.push(piece);
    used += cost;
  }
  return kept
    .sort((a, b) => a.start - b.start)
    .map((piece, i) => ({
      ref: i + 1,
      sourceType: "document" as const,
      documentId: excerpt.documentId,
      title: excerpt.title,
      heading: `${excerpt.title} (open document)`,
      version: excerpt.version,
      start: piece.start,
      end: piece.end,
      text: excerpt.text.slice(piece.start - excerpt.start, piece.end - excerpt.start),
    }));
}

/** `[start, end)` pieces of `text`: blocks between blank lines, joined up to PIECE_CHARS, split before headings. */
function splitPieces(text: string): { start: number; end: number }[] {
  const blocks: { start: number; end: number }[] = [];
  let at = 0;
  for (const gap of text.matchAll(/\n[ \t]*\n\s*/g)) {
    if (gap.index > at) blocks.push({ start: at, end: gap.index });
    at = gap.index + gap[0].length;
  }
  const last = text.slice(at).trimEnd();
  if (last) blocks.push({ start: at, end: at + last.length });
  const pieces: { start: number; end: number }[] = [];
  for (const block of blocks) {
    const current = pieces.at(-1);
    const isHeading = /^#{1,6}\s/.test(text.slice(block.start, block.start + 7));
    if (current && !isHeading && block.end - current.start <= PIECE_CHARS) current.end = block.end;
    else pieces.push({ ...block });
  }
  return pieces;
}
