import { AppError } from "@devflow/util-core";
import { parsePassageTarget, relocatePassage, type TextSelection } from "./passage-link";

/**
 * What the document page selects when opened from a search result (`?at=<from>-<to>&v=<version>`):
 * the passage's range in the text as the page loaded it. When the document has changed since the
 * passage was indexed, the passage is looked up in that version's text and found again in today's
 * (see `relocatePassage`); when it cannot be found, or the link is malformed or names a version the
 * document never had, the page opens without a selection.
 */
export async function passageSelectionOf(
  query: { at?: string | string[]; v?: string | string[] },
  document: { version: number; content: string },
  /** The document's text at a version (`documents.history.textAt`). */
  textAt: (version: number) => Promise<string>,
): Promise<TextSelection | null> {
  const target = parsePassageTarget(query);
  if (!target) return null;
  const range = { from: target.from, to: target.to };
  if (target.version === document.version) return relocatePassage(document.content, document.content, range);
  if (target.version > document.version) return null;
  let indexedText: string;
  try {
    indexedText = await textAt(target.version);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return null;
    throw error;
  }
  return relocatePassage(indexedText, document.content, range);
}
