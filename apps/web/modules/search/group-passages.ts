import {
  SEARCH_PASSAGES_PER_RESULT_MAX,
  type SearchHighlightDto,
  type SearchPassageDto,
  type SearchResultDto,
} from "@devflow/contracts";
import type { RetrievedPassage } from "@devflow/ai-rag";
import { normalizeRanges, type TextRange } from "./highlight-segments";

/** A ranked passage as the retrieval service returns it. */
export type RankedPassage = RetrievedPassage;

export interface GroupOptions {
  /** The most documents to return. */
  limit: number;
  /** The query as typed, to highlight its words in titles. */
  query: string;
  /** Names of the projects the passages belong to; a missing one is shown as null. */
  projectNames: ReadonlyMap<string, string>;
  passagesPerResult?: number;
  snippetLength?: number;
}

/**
 * Ranked passages → one result per document, best document first, each with its best few passages
 * as snippets. Passages of other source types (files, tickets) are left out until the UI can open them.
 */
export function groupPassages(passages: readonly RankedPassage[], options: GroupOptions): SearchResultDto[] {
  const perResult = options.passagesPerResult ?? SEARCH_PASSAGES_PER_RESULT_MAX;
  const byDocument = new Map<string, RankedPassage[]>();
  for (const passage of passages) {
    if (passage.sourceType !== "document") continue;
    const list = byDocument.get(passage.sourceId) ?? [];
    list.push(passage);
    byDocument.set(passage.sourceId, list);
  }
  const results: SearchResultDto[] = [];
  for (const [documentId, list] of byDocument) {
    const best = [...list].sort((a, b) => b.score - a.score).slice(0, perResult);
    const top = best[0]!;
    results.push({
      sourceType: "document",
      documentId,
      title: top.title,
      titleHighlights: termHighlights(top.title, options.query),
      projectId: top.projectId,
      projectName: options.projectNames.get(top.projectId) ?? null,
      score: top.score,
      passages: best.map((p) => toPassage(p, options.snippetLength)),
    });
  }
  // Stable: equal scores keep the order the retrieval service ranked them in.
  return results.sort((a, b) => b.score - a.score).slice(0, options.limit);
}

function toPassage(passage: RankedPassage, snippetLength?: number): SearchPassageDto {
  const snippet = snippetOf(passage.content, passage.highlights, snippetLength);
  return {
    chunkId: passage.chunkId,
    heading: headingUnderTitle(passage.heading, passage.title),
    snippet: snippet.text,
    highlights: snippet.highlights,
    startOffset: passage.startOffset,
    endOffset: passage.endOffset,
    version: passage.sourceVersion,
    score: passage.score,
  };
}

/** Retrieval prefixes headings with the title ("Title › Heading"); the result already shows the title. */
const HEADING_SEPARATOR = " › ";

export function headingUnderTitle(heading: string | null, title: string): string | null {
  if (heading === null || heading === title) return null;
  const prefix = `${title}${HEADING_SEPARATOR}`;
  return heading.startsWith(prefix) ? heading.slice(prefix.length) || null : heading;
}

const SNIPPET_LENGTH = 240;
/** How much text to keep before the first match, so it is read in context. */
const LEAD = 60;
const ELLIPSIS = "…";

/**
 * The part of `content` to show: all of it when short, else a window that starts a little before the
 * first match, cut at spaces, with "…" where text was left out. Highlights are moved into the window.
 */
export function snippetOf(
  content: string,
  highlights: readonly TextRange[],
  length = SNIPPET_LENGTH,
): { text: string; highlights: SearchHighlightDto[] } {
  const ranges = normalizeRanges(highlights, content.length);
  if (content.length <= length) return { text: content, highlights: ranges };
  let start = Math.max(0, (ranges[0]?.start ?? 0) - LEAD);
  if (start > 0) {
    const space = content.indexOf(" ", start);
    // Do not skip past the match to find a space.
    if (space !== -1 && space < (ranges[0]?.start ?? start + LEAD)) start = space + 1;
  }
  let end = Math.min(content.length, start + length);
  if (end < content.length) {
    const space = content.lastIndexOf(" ", end);
    if (space > start) end = space;
  }
  const prefix = start > 0 ? ELLIPSIS : "";
  const suffix = end < content.length ? ELLIPSIS : "";
  const shift = prefix.length - start;
  const inside = ranges
    .filter((r) => r.end > start && r.start < end)
    .map((r) => ({ start: Math.max(r.start, start) + shift, end: Math.min(r.end, end) + shift }));
  return { text: `${prefix}${content.slice(start, end)}${suffix}`, highlights: inside };
}

/**
 * Where the query's words start words of `text`, case-insensitively ("lease" marks "Leases" but not
 * "release"). Words shorter than two characters are skipped: they would mark half the title.
 */
export function termHighlights(text: string, query: string): SearchHighlightDto[] {
  const terms = [...new Set(query.toLowerCase().split(/[^\p{L}\p{N}]+/u))].filter((t) => t.length >= 2);
  const ranges: TextRange[] = [];
  for (const term of terms) {
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(term)}`, "giu");
    for (const match of text.matchAll(pattern)) ranges.push({ start: match.index, end: match.index + match[0].length });
  }
  return normalizeRanges(ranges, text.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
