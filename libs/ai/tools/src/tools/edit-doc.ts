import type { ToolDefinition } from "../tool";
import type { LiveDocumentEditor } from "../live-editor";
import type { ToolServices } from "../tool-deps";
import { DocumentEditsInputSchema, editsToOp, type DocumentEditsInput } from "../text-edits";
import { unifiedDiff } from "../unified-diff";
import { readBase } from "./read-base";

/**
 * Applies edits live, like a person typing: through the collab service, transformed over what
 * others typed since `baseVersion`, shown at once to everyone with the document open.
 */
export function editDocTool(
  services: ToolServices,
  liveEditor: LiveDocumentEditor,
): ToolDefinition<DocumentEditsInput> {
  return {
    name: "edit_doc",
    title: "Edit a document",
    description:
      "Changes a document's text with replacements given as offsets into the text at baseVersion (from get_doc). People may be typing in it: your edits are merged with theirs, not overwritten, and they see your changes live. Returns the new version and a unified diff of your change.",
    access: "write",
    surfaces: ["mcp"],
    requires: "document:update",
    destructive: true,
    input: DocumentEditsInputSchema,
    async run(call, input) {
      const base = await readBase(services, call.ctx, input);
      const { op, after, caret } = editsToOp(base.text, input.edits);
      const diff = unifiedDiff(base.text, after, {
        from: `${base.title} (v${input.baseVersion})`,
        to: `${base.title} (edited)`,
      });
      if (op.length === 0) {
        return {
          output: { documentId: base.documentId, version: base.headVersion, changed: false, concurrentOps: 0, diff },
          text: "The edits change nothing; the document was left as it is.",
          sources: [base.source],
          projectId: base.projectId,
        };
      }
      const outcome = await liveEditor.apply(call, {
        documentId: base.documentId,
        baseVersion: input.baseVersion,
        op,
        caret,
      });
      const merged =
        outcome.concurrentOps > 0
          ? ` It was merged with ${outcome.concurrentOps} edit(s) others made since v${input.baseVersion}.`
          : "";
      return {
        output: {
          documentId: base.documentId,
          version: outcome.version,
          changed: true,
          concurrentOps: outcome.concurrentOps,
          diff,
        },
        text: `Edited "${base.title}": now at version ${outcome.version}.${merged}\n\n${diff}`,
        sources: [base.source],
        diff,
        projectId: base.projectId,
      };
    },
  };
}
