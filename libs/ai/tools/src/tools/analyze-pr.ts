import { PrAnalysisSchema } from "@devflow/contracts";
import { z } from "zod";
import type { ToolDefinition } from "../tool";
import type { ToolRegistryDeps } from "../tool-deps";

const Input = z.object({
  repository: z
    .string()
    .trim()
    .regex(/^[\w.-]+\/[\w.-]+$/, "owner/name, as on GitHub")
    .describe('The connected GitHub repository, as "owner/name"'),
  number: z.number().int().positive().describe("The pull request's number"),
});

/**
 * The latest analysis of a pull request (what its sticky comment on GitHub says): summary by file
 * groups, risk with reasons, effort, line findings, security concerns, missing tests, the design
 * docs it implements and whether it complies with them, suggested reviewers and quality gates.
 * Analyses run on every push (the pr-analysis workflow); this reads the newest.
 */
export function analyzePrTool({ db }: Pick<ToolRegistryDeps, "db">): ToolDefinition<z.output<typeof Input>> {
  return {
    name: "analyze_pr",
    title: "Analyze a pull request",
    description:
      "The latest DevFlow analysis of a GitHub pull request in a connected repository: summary by file groups, risk score with reasons, effort, line-level findings (file and line), security concerns, missing tests, the design docs it implements with compliance at their version, suggested reviewers, and the quality gates' results. Analyses run automatically on every push.",
    access: "read",
    surfaces: ["assistant", "mcp"],
    input: Input,
    requires: "project:read",
    async run({ ctx }, input) {
      const pr = await db.withTenant(ctx, (tx) =>
        tx.pullRequest.findFirst({
          where: { number: input.number, repository: { fullName: { equals: input.repository, mode: "insensitive" } } },
          select: { title: true, state: true, url: true, headSha: true, analysis: true },
        }),
      );
      const name = `${input.repository}#${input.number}`;
      if (!pr) {
        return {
          output: { found: false },
          text: `${name} is not known here: the repository is not connected, or no delivery about the pull request arrived yet.`,
          sources: [],
        };
      }
      const parsed = PrAnalysisSchema.safeParse(pr.analysis);
      if (!parsed.success) {
        return {
          output: { found: true, title: pr.title, state: pr.state, url: pr.url, analysis: null },
          text: `${name} “${pr.title}” (${pr.state}) has not been analysed yet.`,
          sources: [],
        };
      }
      const analysis = parsed.data;
      const stale =
        pr.headSha && pr.headSha !== analysis.headSha ? " (an older push; a newer one is being analysed)" : "";
      const lines = [
        `${name} “${pr.title}” (${pr.state}), analysed at ${analysis.headSha.slice(0, 7)}${stale}:`,
        `Risk ${analysis.risk.score}/100 (${analysis.risk.level}): ${analysis.risk.reasons.map((r) => `${r.detail} (+${r.points})`).join("; ") || "no risk factors"}`,
        `Effort ${analysis.effort.size}, about ${analysis.effort.reviewMinutes} minutes of review`,
        `${analysis.summary.totalFiles} files (+${analysis.summary.additions} −${analysis.summary.deletions}) in ${analysis.summary.groups.length} groups`,
        `Findings: ${analysis.findings.length}${analysis.omittedFindings ? ` (+${analysis.omittedFindings} more)` : ""}`,
        ...analysis.findings.slice(0, 20).map((f) => `- ${f.file}:${f.line} ${f.rule}: ${f.message}`),
        `Security: ${analysis.securityConcerns.join("; ") || "none noted"}`,
        `Missing tests: ${analysis.missingTests.join("; ") || "none"}`,
        `Design docs: ${analysis.docs.map((d) => `“${d.title}” v${d.version}`).join(", ") || "none linked or found"}`,
        `Gates (${analysis.conclusion}): ${analysis.gates.map((g) => `${g.gate} ${g.outcome}`).join(", ")}`,
      ];
      return {
        output: { found: true, title: pr.title, state: pr.state, url: pr.url, analysis },
        text: lines.join("\n"),
        // The docs it names are the ones the PR's public comment names; not read for this caller.
        sources: [],
      };
    },
  };
}
