/**
 * Splits a markdown document into passages for retrieval: by headings first, then by size.
 * Every chunk is an exact slice of the source text (`text.slice(startOffset, endOffset) === content`,
 * UTF-16 offsets like the editor's), so a citation can point back into the document at that version.
 */

export interface TextChunkDraft {
  /** 0, 1, 2… in document order. */
  index: number;
  startOffset: number;
  endOffset: number;
  /** The document title, then the headings above the chunk, outermost first. */
  headingPath: string[];
  /** `headingPath` joined for display and for full-text ranking (weighted above the content). */
  heading: string;
  content: string;
}

export interface ChunkOptions {
  /** The document's title: it heads every chunk, so searching for a title finds the document. */
  title?: string;
  /** A section longer than this is split (default 1,200 characters). */
  maxChars?: number;
  /** Split pieces aim to be at least this long when the text allows (default 800). */
  minChars?: number;
}

export const CHUNK_MAX_CHARS = 1_200;
export const CHUNK_MIN_CHARS = 800;
export const HEADING_SEPARATOR = " › ";

interface Section {
  start: number;
  end: number;
  headings: string[];
}

/** Chunks of `text`; an empty document still yields one title-only chunk when it has a title. */
export function chunkMarkdown(text: string, options: ChunkOptions = {}): TextChunkDraft[] {
  const maxChars = options.maxChars ?? CHUNK_MAX_CHARS;
  const minChars = Math.min(options.minChars ?? CHUNK_MIN_CHARS, maxChars);
  const title = options.title?.trim() ?? "";
  const ranges: { start: number; end: number; headings: string[] }[] = [];
  for (const section of splitSections(text)) {
    for (const [start, end] of splitBySize(text, section.start, section.end, minChars, maxChars)) {
      const trimmed = trimRange(text, start, end);
      if (trimmed) ranges.push({ ...trimmed, headings: section.headings });
    }
  }
  if (ranges.length === 0 && title) ranges.push({ start: 0, end: 0, headings: [] });
  return ranges.map((range, index) => {
    const headingPath = withTitle(title, range.headings);
    return {
      index,
      startOffset: range.start,
      endOffset: range.end,
      headingPath,
      heading: headingPath.join(HEADING_SEPARATOR),
      content: text.slice(range.start, range.end),
    };
  });
}

/** The title leads the path, unless the document's first heading already repeats it. */
function withTitle(title: string, headings: string[]): string[] {
  if (!title) return headings;
  if (headings[0]?.toLowerCase() === title.toLowerCase()) return headings;
  return [title, ...headings];
}

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Sections start at each ATX heading (outside fenced code) and run to the next one. A heading with
 * nothing under it before the next heading joins the next section, so it is never a chunk of its own.
 */
function splitSections(text: string): Section[] {
  const sections: Section[] = [];
  const stack: { level: number; text: string }[] = [];
  let current: Section = { start: 0, end: text.length, headings: [] };
  let fence: string | null = null;
  let lineStart = 0;
  while (lineStart < text.length) {
    const newline = text.indexOf("\n", lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, "");
    const fenceMatch = FENCE.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1]!;
      if (fence === null) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = null;
    } else if (fence === null) {
      const heading = HEADING.exec(line);
      if (heading) {
        const level = heading[1]!.length;
        while (stack.length && stack[stack.length - 1]!.level >= level) stack.pop();
        stack.push({ level, text: heading[2]!.trim() });
        if (!isHeadingOnly(text, current.start, lineStart)) {
          sections.push({ ...current, end: lineStart });
          current = { start: lineStart, end: text.length, headings: stack.map((h) => h.text) };
        } else {
          // Nothing but (blank lines or) a heading so far: keep the start, take the deeper headings.
          current = { start: current.start, end: text.length, headings: stack.map((h) => h.text) };
        }
      }
    }
    lineStart = lineEnd + 1;
  }
  sections.push(current);
  return sections;
}

function isHeadingOnly(text: string, start: number, end: number): boolean {
  return text
    .slice(start, end)
    .split("\n")
    .every((line) => line.trim() === "" || HEADING.test(line.replace(/\r$/, "")));
}

/**
 * Cuts [start, end) into pieces of at most maxChars, as even as the text allows, preferring to cut
 * after a paragraph, then after a sentence, then at a line break, then at a space; a single
 * unbroken run is cut hard, but never between the two halves of a surrogate pair.
 */
function splitBySize(text: string, start: number, end: number, minChars: number, maxChars: number): [number, number][] {
  const pieces: [number, number][] = [];
  let pos = start;
  while (end - pos > maxChars) {
    const remaining = end - pos;
    const desired = Math.ceil(remaining / Math.ceil(remaining / maxChars));
    const low = pos + Math.min(minChars, desired);
    const high = pos + maxChars;
    let cut = bestBreak(text, low, high) ?? high;
    if (isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
    pieces.push([pos, cut]);
    pos = cut;
  }
  pieces.push([pos, end]);
  return pieces;
}

const BREAKS = [/\n[ \t]*\n/g, /[.!?][)"'’”\]]*[ \t\n]/g, /\n/g, /[ \t]/g];

/** The latest cut position in [low, high] after a break of the best kind found there. */
function bestBreak(text: string, low: number, high: number): number | undefined {
  const window = text.slice(low, high);
  for (const pattern of BREAKS) {
    let last: number | undefined;
    for (const match of window.matchAll(pattern)) last = low + match.index + match[0].length;
    if (last !== undefined && last > low) return Math.min(last, high);
  }
  return undefined;
}

function trimRange(text: string, start: number, end: number): { start: number; end: number } | null {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return start < end ? { start, end } : null;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
