import { MILESTONE_TITLE_MAX, type ReleaseReadinessDto } from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { readReleaseReadiness } from "@devflow/domain-release-readiness";
import { z } from "zod";
import type { ToolDefinition } from "../tool";

const Input = z.object({
  projectId: z.uuid().describe("The project (list_projects gives ids)"),
  milestone: z
    .string()
    .trim()
    .min(1)
    .max(MILESTONE_TITLE_MAX)
    .describe('The GitHub milestone\'s title, exactly as on GitHub (e.g. "v2.3")'),
});

/**
 * Whether a project's GitHub milestone is ready to ship: the same assessment as the web app's
 * Releases page, gate by gate with the rows behind each, and a short text of verdicts and reasons.
 */
export function releaseReadinessTool(deps: {
  db: Database;
}): ToolDefinition<z.output<typeof Input>, ReleaseReadinessDto> {
  return {
    name: "release_readiness",
    title: "Release readiness",
    description:
      "Whether a GitHub milestone of a project is ready to release, from its pull requests and issues in the project's linked repositories: five gates, each pass, fail or unknown with reasons and the rows behind it — PR risk (open high-risk pull requests), open blockers (issues labelled blocker/critical or triaged P1), design doc approvals, failing checks (latest analysis conclusion) and the DORA trend (change failure rate of the last 30 days vs the 30 before) — and an overall verdict.",
    access: "read",
    surfaces: ["assistant", "mcp"],
    input: Input,
    requires: "project:read",
    async run({ ctx }, input) {
      const readiness = await readReleaseReadiness(deps.db, ctx, input.projectId, input.milestone);
      const text = [
        `Release readiness of milestone "${readiness.milestone}": ${readiness.overall.toUpperCase()}${readiness.dueAt ? ` (due ${readiness.dueAt.slice(0, 10)})` : ""}`,
        ...readiness.gates.map((gate) => `- ${gate.gate}: ${gate.verdict} — ${gate.reasons.join("; ")}`),
      ].join("\n");
      return { output: readiness, text, sources: [], projectId: input.projectId };
    },
  };
}
