import { CreateIssueFromPassageInputSchema, ISSUE_PASSAGE_MAX } from "@devflow/contracts";
import type { IssuesFromDocsService } from "@devflow/domain-integrations";
import { AppError } from "@devflow/util-core";
import { z } from "zod";
import type { ToolDefinition } from "../tool";

// One flat object (MCP tool inputs are JSON objects); the tracker's own fields are checked against
// the same schema the REST endpoint uses.
const Input = z.object({
  documentId: z.uuid().describe("The design doc the passage is in"),
  passage: z
    .string()
    .trim()
    .min(1)
    .max(ISSUE_PASSAGE_MAX)
    .describe("The passage, exactly as it is in the document's current text (get_doc)"),
  tracker: z.enum(["github", "jira", "linear"]).describe("Where to file it; the organization must have connected it"),
  repositoryId: z.uuid().optional().describe("GitHub: the connected repository"),
  projectKey: z.string().optional().describe("Jira: the project key, like PAY"),
  issueType: z.string().optional().describe('Jira: the issue type (default "Task")'),
  teamId: z.string().optional().describe("Linear: the team id"),
  title: z.string().optional().describe("The issue's title (default: the passage's heading or first sentence)"),
});

/**
 * Files an issue from a passage of a design doc in the organization's GitHub, Jira or Linear: the
 * issue quotes the passage, lists acceptance criteria taken from its words and links back to the
 * doc, which lists it in turn. MCP only: the in-app assistant proposes, it does not file.
 */
export function createIssueTool(issues: Pick<IssuesFromDocsService, "create">): ToolDefinition<z.output<typeof Input>> {
  return {
    name: "create_issue",
    title: "Create an issue from a doc passage",
    description:
      "Files an issue in the organization's connected GitHub repository, Jira project or Linear team from a passage of a design doc. The issue quotes the passage, lists acceptance criteria drawn from its own words (list items, or sentences with must/should/shall) and links back to the doc; the doc lists the issue. The passage must be in the document's current text.",
    access: "write",
    surfaces: ["mcp"],
    input: Input,
    async run({ ctx }, input) {
      const { documentId, ...rest } = input;
      const parsed = CreateIssueFromPassageInputSchema.safeParse(
        Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)),
      );
      if (!parsed.success) {
        throw new AppError("validation_failed", `The ${input.tracker} fields are not right`, {
          report: false,
          details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) },
        });
      }
      const created = await issues.create(ctx, documentId, parsed.data);
      const criteria = created.acceptanceCriteria;
      return {
        output: created,
        text: [
          `Filed ${created.externalKey} “${created.title}”: ${created.url}`,
          criteria.length
            ? `Acceptance criteria:\n${criteria.map((c) => `- ${c}`).join("\n")}`
            : "The passage states no acceptance criteria; add them in the issue.",
        ].join("\n"),
        sources: [],
      };
    },
  };
}
