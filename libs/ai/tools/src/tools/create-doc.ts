import { DOCUMENT_CONTENT_MAX, DOCUMENT_TITLE_MAX, DocumentKindSchema } from "@devflow/contracts";
import { z } from "zod";
import type { ToolDefinition } from "../tool";
import type { ToolServices } from "../tool-deps";
import { unifiedDiff } from "../unified-diff";

const Input = z.object({
  projectId: z.uuid().describe("The project to create it in (see list_projects)"),
  title: z.string().trim().min(1).max(DOCUMENT_TITLE_MAX).describe("The document's title"),
  templateId: z
    .union([z.uuid(), z.string().regex(/^builtin:[a-z_]+$/)])
    .optional()
    .describe(
      'Start from a template: "builtin:design_doc", "builtin:rfc", "builtin:adr", … or a saved template\'s id. Its text replaces `content`.',
    ),
  kind: DocumentKindSchema.optional().describe("The kind of document (default design_doc); a template decides its own"),
  content: z.string().max(DOCUMENT_CONTENT_MAX).optional().describe("Initial markdown text, when not using a template"),
});

/** A new document, blank, with the given text, or from a template. */
export function createDocTool({ documents, templates }: ToolServices): ToolDefinition<z.output<typeof Input>> {
  return {
    name: "create_doc",
    title: "Create a document",
    description:
      "Creates a document in a project, from a template or with the given markdown. Returns its id and version, ready for get_doc and edit_doc.",
    access: "write",
    surfaces: ["assistant", "mcp"],
    requires: "document:create",
    input: Input,
    async run({ ctx }, input) {
      const fromTemplate = input.templateId
        ? await templates.render(ctx, input.templateId, { title: input.title })
        : { kind: input.kind ?? "design_doc", content: input.content ?? "" };
      const doc = await documents.create(ctx, input.projectId, {
        title: input.title,
        kind: fromTemplate.kind,
        content: fromTemplate.content,
      });
      return {
        output: {
          documentId: doc.id,
          projectId: doc.projectId,
          title: doc.title,
          kind: doc.kind,
          version: doc.version,
        },
        text: `Created "${doc.title}" (document ${doc.id}, version ${doc.version}) in project ${doc.projectId}.`,
        sources: [{ documentId: doc.id, title: doc.title, version: doc.version }],
        diff: unifiedDiff("", doc.content, { from: "/dev/null", to: `${doc.title} (v${doc.version})` }),
        projectId: doc.projectId,
      };
    },
  };
}
