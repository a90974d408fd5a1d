import {
  MAX_DOCUMENT_LENGTH,
  MAX_OP_SIZE_DEFAULT,
  apply,
  normalize,
  opSize,
  splitsSurrogatePair,
  type TextOp,
} from "@devflow/collab-ot";
import { DOCUMENT_CONTENT_MAX } from "@devflow/contracts";
import { AppError } from "@devflow/util-core";
import { z } from "zod";

/** Most replacements one edit_doc or propose_edit call may make. */
export const TEXT_EDITS_MAX = 200;

export const TextEditSchema = z.object({
  start: z.number().int().min(0).describe("UTF-16 offset in the text at baseVersion where the replaced range starts"),
  end: z
    .number()
    .int()
    .min(0)
    .describe("UTF-16 offset where the replaced range ends (exclusive); equal to start to insert without replacing"),
  text: z.string().max(DOCUMENT_CONTENT_MAX).describe("The replacement text (markdown); empty to delete the range"),
});
export type TextEdit = z.infer<typeof TextEditSchema>;

/** The input edit_doc and propose_edit share: replacements on the text as it was at `baseVersion`. */
export const DocumentEditsInputSchema = z.object({
  documentId: z.uuid().describe("The document to change (from search_docs, get_doc or create_doc)"),
  baseVersion: z
    .number()
    .int()
    .min(0)
    .describe("The version the offsets refer to: the `version` get_doc returned with the text you read"),
  edits: z
    .array(TextEditSchema)
    .min(1)
    .max(TEXT_EDITS_MAX)
    .describe("Non-overlapping replacements, as offsets into the text at baseVersion"),
});
export type DocumentEditsInput = z.infer<typeof DocumentEditsInputSchema>;

/** The edits as one ot-text op on `base`, and where the last replacement ends in the new text. */
export interface EditsAsOp {
  op: TextOp;
  /** The text after the op. */
  after: string;
  /** End of the last replacement in `after`: where the agent's caret is shown. */
  caret: number;
}

/**
 * Turns replacements on `base` into one ot-text op, refusing what the collab service would refuse
 * later with a less helpful message: offsets past the end, overlapping ranges, offsets inside a
 * surrogate pair, an op or a resulting document over the limits. Errors name the offending field.
 */
export function editsToOp(base: string, edits: readonly TextEdit[]): EditsAsOp {
  const ordered = edits
    .map((edit, index) => ({ ...edit, index }))
    .sort((a, b) => a.start - b.start || a.index - b.index);
  const op: (number | string | { d: number })[] = [];
  let position = 0;
  let caret = 0;
  let grown = 0;
  for (const edit of ordered) {
    const field = `edits.${edit.index}`;
    if (edit.end < edit.start) throw invalid(`${field}.end`, `end (${edit.end}) is before start (${edit.start})`);
    if (edit.end > base.length) {
      throw invalid(`${field}.end`, `end (${edit.end}) is past the end of the text at baseVersion (${base.length})`);
    }
    if (edit.start < position)
      throw invalid(`${field}.start`, "overlaps another edit; merge overlapping edits into one");
    for (const [name, offset] of [
      ["start", edit.start],
      ["end", edit.end],
    ] as const) {
      if (splitsSurrogatePair(base, offset))
        throw invalid(`${field}.${name}`, `offset ${offset} splits a character in two`);
    }
    if (edit.start > position) op.push(edit.start - position);
    if (edit.end > edit.start) op.push({ d: edit.end - edit.start });
    if (edit.text !== "") op.push(edit.text);
    grown += edit.text.length - (edit.end - edit.start);
    caret = edit.start + grown + (edit.end - edit.start);
    position = edit.end;
  }
  const normalized = normalize(op);
  if (base.length + grown > MAX_DOCUMENT_LENGTH) {
    throw invalid(
      "edits",
      `the document would have ${base.length + grown} characters; the limit is ${MAX_DOCUMENT_LENGTH}`,
    );
  }
  if (opSize(normalized) > MAX_OP_SIZE_DEFAULT) {
    throw invalid(
      "edits",
      `the edits insert too much at once (limit ${MAX_OP_SIZE_DEFAULT} characters); split them into several calls`,
    );
  }
  return { op: normalized, after: apply(base, normalized), caret };
}

function invalid(path: string, message: string): AppError {
  return new AppError("validation_failed", `Invalid edits: ${path} ${message}`, {
    report: false,
    details: { issues: [{ path, message }] },
  });
}
