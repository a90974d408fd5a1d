import type { CitablePassage } from "@devflow/ai-llm";
import { CITATION_QUOTE_MAX, type ChatMessageDto } from "@devflow/contracts";

/** A citation as answers send it: `sourceType` always set (stored older ones may lack it). */
type Citation = ChatMessageDto["citations"][number];

/**
 * `[3]`, or `[1, 4]` / `[1][4]`: the markers the system prompt asks for. Not `items[1]` (an index
 * in prose about code) and not `[1](url)` or `[1]: url` (markdown links).
 */
const MARKER = /([ \t]*)(?<![\w`])\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\](?![(:])/g;
/** Code is quoted as written: markers are never looked for inside fences or backticks. */
const CODE = /```[\s\S]*?(?:```|$)|`[^`\n]*`/g;

export interface ExtractedCitations {
  /** The cited passages, in the order the answer first cites them, each once. */
  citations: Citation[];
  /**
   * The answer with markers that name no passage taken out (a model that invents `[9]` for a
   * prompt with five passages must not leave a chip pointing nowhere); the rest kept as written.
   */
  text: string;
}

/**
 * Maps the answer's `[n]` markers to the passages the prompt offered under those numbers, giving
 * each cited passage's source (a document, or an uploaded file), version, range and quote. Markers that match no passage are
 * dropped from the citations and from the text.
 */
export function extractCitations(answer: string, passages: readonly CitablePassage[]): ExtractedCitations {
  const byRef = new Map(passages.map((p) => [p.ref, p]));
  const cited = new Map<number, Citation>();
  const replaceMarkers = (prose: string) =>
    prose.replace(MARKER, (_marker, space: string, refs: string) => {
      const known = refs
        .split(",")
        .map((r) => Number(r.trim()))
        .filter((ref) => byRef.has(ref));
      for (const ref of known) {
        if (!cited.has(ref)) cited.set(ref, toCitation(byRef.get(ref)!));
      }
      // A dropped marker takes the space before it along, so "holds [9]." reads "holds.".
      return known.length === 0 ? "" : space + known.map((ref) => `[${ref}]`).join("");
    });
  let text = "";
  let at = 0;
  for (const code of answer.matchAll(CODE)) {
    text += replaceMarkers(answer.slice(at, code.index)) + code[0];
    at = code.index + code[0].length;
  }
  text += replaceMarkers(answer.slice(at));
  return { citations: [...cited.values()], text };
}

function toCitation(passage: CitablePassage): Citation {
  const cited = {
    ref: passage.ref,
    title: passage.title,
    version: passage.version,
    start: passage.start,
    end: passage.end,
    quote: passage.text.slice(0, CITATION_QUOTE_MAX),
  };
  return passage.sourceType === "file"
    ? { sourceType: "file", fileId: passage.fileId, ...cited }
    : { sourceType: "document", documentId: passage.documentId, ...cited };
}
