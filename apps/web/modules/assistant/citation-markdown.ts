/** Where a citation chip links to inside rendered markdown: `#cite-<ref>`. */
export const CITATION_HREF_PREFIX = "#cite-";

const MARKER = /([ \t]*)(?<![\w`])\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\](?![(:])/g;
const CODE = /```[\s\S]*?(?:```|$)|`[^`\n]*`/g;

/**
 * The answer's markdown with each `[n]` marker of a known citation turned into a link to
 * `#cite-n`, which the renderer draws as a chip. Markers are found exactly as the server found
 * them (not in code, not `items[1]`, not markdown links); unknown ones stay plain text — while an
 * answer streams, its citations are not known yet.
 */
export function linkCitations(markdown: string, refs: ReadonlySet<number>): string {
  const link = (prose: string) =>
    prose.replace(MARKER, (marker, space: string, list: string) => {
      const known = list
        .split(",")
        .map((r) => Number(r.trim()))
        .filter((ref) => refs.has(ref));
      if (known.length === 0) return marker;
      return space + known.map((ref) => `[\\[${ref}\\]](${CITATION_HREF_PREFIX}${ref})`).join("");
    });
  let out = "";
  let at = 0;
  for (const code of markdown.matchAll(CODE)) {
    out += link(markdown.slice(at, code.index)) + code[0];
    at = code.index + code[0].length;
  }
  return out + link(markdown.slice(at));
}

/** The citation number of a chip link, or null for any other link. */
export function citationRefOf(href: string | undefined): number | null {
  if (!href?.startsWith(CITATION_HREF_PREFIX)) return null;
  const ref = Number(href.slice(CITATION_HREF_PREFIX.length));
  return Number.isInteger(ref) && ref > 0 ? ref : null;
}
