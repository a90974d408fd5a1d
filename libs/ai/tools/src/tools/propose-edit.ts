import type { ToolDefinition } from "../tool";
import type { ToolServices } from "../tool-deps";
import { DocumentEditsInputSchema, editsToOp, type DocumentEditsInput } from "../text-edits";
import { unifiedDiff } from "../unified-diff";
import { readBase } from "./read-base";

/** Characters of unchanged text shown around each proposed replacement. */
const EXCERPT_CONTEXT = 200;

/**
 * The assistant's way to change a document: nothing is applied; the person sees the proposal (a
 * diff, and each replacement with the text around it) and accepts it in the editor, where it
 * becomes their own edit.
 */
export function proposeEditTool(services: ToolServices): ToolDefinition<DocumentEditsInput> {
  return {
    name: "propose_edit",
    title: "Propose an edit",
    description:
      "Proposes changes to a document as replacements given as offsets into the text at baseVersion (from get_doc). Nothing changes until the person accepts the proposal in the editor. Returns a unified diff of the proposal.",
    // It writes nothing; offered only to those who could accept it.
    access: "read",
    surfaces: ["assistant"],
    requires: "document:update",
    input: DocumentEditsInputSchema,
    async run({ ctx }, input) {
      const base = await readBase(services, ctx, input);
      const { after } = editsToOp(base.text, input.edits);
      const diff = unifiedDiff(base.text, after, {
        from: `${base.title} (v${input.baseVersion})`,
        to: `${base.title} (proposed)`,
      });
      const edits = input.edits.map((edit) => {
        const from = Math.max(0, edit.start - EXCERPT_CONTEXT);
        const to = Math.min(base.text.length, edit.end + EXCERPT_CONTEXT);
        return {
          ...edit,
          replaced: base.text.slice(edit.start, edit.end),
          excerpt: { start: from, end: to, text: base.text.slice(from, to) },
        };
      });
      return {
        output: { documentId: base.documentId, baseVersion: input.baseVersion, title: base.title, edits, diff },
        text:
          diff === ""
            ? "The proposal changes nothing."
            : `Proposed changes to "${base.title}" (not applied):\n\n${diff}`,
        sources: [base.source],
        diff,
        projectId: base.projectId,
      };
    },
  };
}
