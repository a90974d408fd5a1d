/** A passage to open a document at: a range of its text at `version` (UTF-16 code units). */
export interface PassageTarget {
  from: number;
  to: number;
  version: number;
}

/** Offsets and versions fit a Postgres int; anything longer is not one of ours. */
const NUMBER = "(0|[1-9][0-9]{0,9})";
const AT_PATTERN = new RegExp(`^${NUMBER}-${NUMBER}$`);
const VERSION_PATTERN = new RegExp(`^${NUMBER}$`);
const INT_MAX = 2_147_483_647;

/**
 * The document page's address, opened at a passage when one is given:
 * `/<org>/documents/<id>?at=<from>-<to>&v=<version>`.
 */
export function documentHref(orgSlug: string, documentId: string, passage?: PassageTarget): string {
  const path = `/${encodeURIComponent(orgSlug)}/documents/${encodeURIComponent(documentId)}`;
  if (!passage) return path;
  return `${path}?at=${passage.from}-${passage.to}&v=${passage.version}`;
}

/**
 * The passage named by a document page's query (`at` and `v`), or null when either is missing or not
 * well-formed: a hand-edited link simply opens the document.
 */
export function parsePassageTarget(query: { at?: string | string[]; v?: string | string[] }): PassageTarget | null {
  const at = typeof query.at === "string" ? AT_PATTERN.exec(query.at) : null;
  const v = typeof query.v === "string" && VERSION_PATTERN.test(query.v) ? Number(query.v) : null;
  if (!at || v === null || v > INT_MAX) return null;
  const from = Number(at[1]);
  const to = Number(at[2]);
  if (to < from || to > INT_MAX) return null;
  return { from, to, version: v };
}

/** A range in the document as it is now. */
export interface TextSelection {
  from: number;
  to: number;
}

/**
 * Where a passage of `indexedText` is in `currentText`. When nothing changed it is the same range.
 * Otherwise the passage's exact text is looked for, nearest its old place first; when it was edited,
 * its first line is tried the same way (selecting that line). Null when neither is there any more:
 * the caller then opens the document without a selection rather than select unrelated text.
 */
export function relocatePassage(indexedText: string, currentText: string, range: TextSelection): TextSelection | null {
  const from = Math.min(range.from, indexedText.length);
  const to = Math.min(Math.max(range.to, from), indexedText.length);
  if (indexedText === currentText) return { from, to };
  const passage = indexedText.slice(from, to);
  const exact = nearestOccurrence(currentText, passage, from);
  if (exact !== null) return { from: exact, to: exact + passage.length };
  const firstLine = passage.split("\n").find((line) => line.trim().length >= MIN_ANCHOR_LENGTH);
  if (!firstLine) return null;
  const line = nearestOccurrence(currentText, firstLine, from);
  return line === null ? null : { from: line, to: line + firstLine.length };
}

/** Shorter lines ("## Goals", "- yes") recur too often to find the passage by. */
const MIN_ANCHOR_LENGTH = 12;

function nearestOccurrence(text: string, needle: string, near: number): number | null {
  if (needle.length === 0) return null;
  let best: number | null = null;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    if (best === null || Math.abs(at - near) < Math.abs(best - near)) best = at;
    if (at > near) break;
  }
  return best;
}
