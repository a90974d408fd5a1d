import { z } from "zod";
import type { ToolDefinition } from "../tool";
import type { ToolServices } from "../tool-deps";

const Input = z.object({
  documentId: z.uuid().describe("The document's id"),
  version: z.number().int().min(0).optional().describe("An earlier version to read; the current text when left out"),
});

/** A document's text (current, or at a version) with the version to base edits on. */
export function getDocTool({ documents }: ToolServices): ToolDefinition<z.output<typeof Input>> {
  return {
    name: "get_doc",
    title: "Read a document",
    description:
      "Returns a document's markdown text with its title, project and version. Pass that version as baseVersion when you edit, with offsets into this text.",
    access: "read",
    surfaces: ["assistant", "mcp"],
    input: Input,
    async run({ ctx }, input) {
      const doc = await documents.get(ctx, input.documentId);
      const atVersion =
        input.version === undefined || input.version === doc.version
          ? { version: doc.version, text: doc.content }
          : { version: input.version, text: (await documents.history.textAt(ctx, doc.id, input.version)).content };
      const output = {
        documentId: doc.id,
        projectId: doc.projectId,
        title: doc.title,
        kind: doc.kind,
        status: doc.status,
        version: atVersion.version,
        headVersion: doc.version,
        text: atVersion.text,
      };
      return {
        output,
        text: `# ${doc.title} (document ${doc.id}, version ${atVersion.version} of ${doc.version})\n\n${atVersion.text}`,
        sources: [{ documentId: doc.id, title: doc.title, version: atVersion.version }],
        projectId: doc.projectId,
      };
    },
  };
}
