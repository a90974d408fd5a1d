import { DORA_WINDOW_DAYS_MAX, DoraMetricsQuerySchema, type DoraDurationStatsDto } from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { readDoraMetrics } from "@devflow/domain-dora";
import { z } from "zod";
import type { ToolDefinition } from "../tool";

const Input = z.object({
  projectId: z.uuid().describe("The project (list_projects gives ids)"),
  days: z
    .number()
    .int()
    .min(1)
    .max(DORA_WINDOW_DAYS_MAX)
    .default(30)
    .describe(`How many days back from today to measure (1–${DORA_WINDOW_DAYS_MAX}, default 30)`),
  environment: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe('The deployment environment (default "production")'),
});

const DAY_MS = 86_400_000;

function duration(stats: DoraDurationStatsDto): string {
  if (stats.medianMs === null) return "no data";
  const hours = (ms: number) => `${Math.round((ms / 3_600_000) * 10) / 10} h`;
  return `median ${hours(stats.medianMs)}, p90 ${hours(stats.p90Ms ?? stats.medianMs)} (${stats.count})`;
}

/**
 * The four DORA metrics of a project's linked repositories over the last `days`, with the rules
 * that counted them; the drill-down rows are left out of the text (the web app's Delivery metrics
 * page lists them) but the totals say how many were counted.
 */
export function getDoraMetricsTool(deps: { db: Database }): ToolDefinition<z.output<typeof Input>> {
  return {
    name: "get_dora_metrics",
    title: "Get DORA metrics",
    description:
      "The DORA metrics of a project's linked GitHub repositories over a recent window: deployment frequency, lead time for changes (median and p90, split into coding, pickup, review and deploy), change failure rate and time to restore, each with the rule that counted it, and split by human vs AI-assisted pull requests where the data says so.",
    access: "read",
    surfaces: ["assistant", "mcp"],
    input: Input,
    requires: "project:read",
    async run({ ctx }, input) {
      const to = new Date(Date.now() + DAY_MS).toISOString().slice(0, 10);
      const from = new Date(Date.parse(to) - input.days * DAY_MS).toISOString().slice(0, 10);
      const query = DoraMetricsQuerySchema.parse({ from, to, environment: input.environment });
      const metrics = await readDoraMetrics(deps.db, ctx, input.projectId, query);
      const { deploymentFrequency: df, leadTime, changeFailureRate: cfr, timeToRestore } = metrics;
      const { deployments, pullRequests, incidents, series, ...summary } = metrics;
      const text =
        metrics.repositoryCount === 0
          ? "No repository is linked to this project, so there is nothing to measure yet."
          : [
              `DORA metrics, ${metrics.environment}, ${metrics.from} to ${metrics.to} (exclusive), ${metrics.repositoryCount} repositories:`,
              `- Deployment frequency: ${df.deployments} deployments, ${df.perWeek} per week`,
              `- Lead time for changes: ${duration(leadTime)}`,
              `  coding ${duration(leadTime.stages.coding)}; pickup ${duration(leadTime.stages.pickup)}; review ${duration(leadTime.stages.review)}; deploy ${duration(leadTime.stages.deploy)}`,
              `- Change failure rate: ${cfr.rate === null ? "no deployments" : `${Math.round(cfr.rate * 1000) / 10}% (${cfr.failed} of ${cfr.total})`}`,
              `- Time to restore: ${duration(timeToRestore)}; ${timeToRestore.open} incidents still open`,
              `Rules: ${Object.values(metrics.rules).join(" ")}`,
            ].join("\n");
      return {
        output: {
          ...summary,
          counted: { deployments: deployments.length, pullRequests: pullRequests.length, incidents: incidents.length },
        },
        text,
        sources: [],
        projectId: input.projectId,
      };
    },
  };
}
