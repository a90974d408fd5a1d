/** A `[start, end)` range of UTF-16 code units, as the search API sends matches. */
export interface TextRange {
  start: number;
  end: number;
}

/** A run of text, highlighted or not; the runs of one text concatenate back to it. */
export interface TextSegment {
  text: string;
  isMatch: boolean;
}

/**
 * Sorts ranges, clamps them to `length`, drops empty ones and merges those that overlap or touch,
 * so a caller can render them in one left-to-right pass. Ranges arrive from the server; a bad one
 * must not throw or duplicate text on screen.
 */
export function normalizeRanges(ranges: readonly TextRange[], length: number): TextRange[] {
  const clamped = ranges
    .map((r) => ({ start: Math.max(0, Math.min(r.start, length)), end: Math.max(0, Math.min(r.end, length)) }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: TextRange[] = [];
  for (const range of clamped) {
    const last = merged.at(-1);
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** Splits `text` into plain and matched runs (rendered as text and `<mark>`). */
export function highlightSegments(text: string, ranges: readonly TextRange[]): TextSegment[] {
  const segments: TextSegment[] = [];
  let position = 0;
  for (const { start, end } of normalizeRanges(ranges, text.length)) {
    if (start > position) segments.push({ text: text.slice(position, start), isMatch: false });
    segments.push({ text: text.slice(start, end), isMatch: true });
    position = end;
  }
  if (position < text.length || segments.length === 0) segments.push({ text: text.slice(position), isMatch: false });
  return segments;
}
