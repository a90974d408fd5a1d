import { PAGE_SIZE_MAX } from "@devflow/contracts";
import { z } from "zod";
import type { ToolDefinition } from "../tool";
import type { ToolServices } from "../tool-deps";

const Input = z.object({
  limit: z.number().int().min(1).max(PAGE_SIZE_MAX).default(50).describe("Most projects to return (1–100)"),
  cursor: z.string().min(1).max(200).optional().describe("`nextCursor` from the previous page"),
});

/** The projects the caller can see, by name. */
export function listProjectsTool({ projects }: ToolServices): ToolDefinition<z.output<typeof Input>> {
  return {
    name: "list_projects",
    title: "List projects",
    description:
      "Lists the projects in the workspace that you can see (id, key, name, description, document count). Use a project id to create a document or narrow a search.",
    access: "read",
    surfaces: ["assistant", "mcp"],
    input: Input,
    async run({ ctx }, input) {
      const page = await projects.list(ctx, { limit: input.limit, cursor: input.cursor, archived: false });
      const items = page.items.map((p) => ({
        id: p.id,
        key: p.key,
        name: p.name,
        description: p.description,
        visibility: p.visibility,
        documentCount: p.documentCount,
      }));
      const lines = items.map((p) => `- ${p.name} (${p.key}, id ${p.id}): ${p.documentCount} documents`);
      return {
        output: { projects: items, nextCursor: page.nextCursor },
        text: items.length === 0 ? "No projects you can see." : lines.join("\n"),
        sources: [],
      };
    },
  };
}
