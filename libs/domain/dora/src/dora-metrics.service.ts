import type { RequestContext } from "@devflow/auth";
import { can } from "@devflow/auth";
import { DORA_LEAD_TIME_LOOKBACK_DAYS, type DoraMetricsDto, type DoraMetricsQuery } from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { loadVisibleProject } from "@devflow/domain-projects";
import { forbidden } from "@devflow/util-core";
import type { DoraHistory, DoraWindow } from "./dora-history";
import { computeDoraMetrics } from "./dora-metrics";
import { DAY_MS, isWithin } from "./dora-stats";
import * as repo from "./dora.repository";

/**
 * The DORA metrics of a project the reader may see, over whole UTC days [from, to) of one
 * environment: the project's history read in one tenant transaction (reaching back
 * DORA_LEAD_TIME_LOOKBACK_DAYS for pull requests merged before the window), then computed by
 * computeDoraMetrics. A project hidden from the reader, or of another organization, is not_found.
 */
export async function readDoraMetrics(
  db: Database,
  ctx: RequestContext,
  projectId: string,
  query: DoraMetricsQuery,
): Promise<DoraMetricsDto> {
  if (!can(ctx.actor, "project:read")) throw forbidden("You cannot read this organization's projects");
  const window: DoraWindow = {
    from: new Date(`${query.from}T00:00:00.000Z`),
    to: new Date(`${query.to}T00:00:00.000Z`),
    environment: query.environment,
  };
  const history = await db.withTenant(ctx, async (tx): Promise<DoraHistory> => {
    await loadVisibleProject(tx, ctx, projectId);
    const repositories = await repo.listProjectRepositories(tx, projectId);
    const repositoryIds = repositories.map((r) => r.id);
    const since = new Date(window.from.getTime() - DORA_LEAD_TIME_LOOKBACK_DAYS * DAY_MS);
    const deployments = await repo.listDeployments(tx, repositoryIds, since, window.to);
    const pullRequests = await repo.listMergedPullRequests(tx, repositoryIds, since, window.to);
    const incidents = await repo.listIncidents(tx, {
      projectId,
      githubRepositoryIds: repositories.filter((r) => r.provider === "github").map((r) => r.externalId),
      from: window.from,
      to: window.to,
      deploymentIds: deployments.filter((d) => isWithin(d.finishedAt, window)).map((d) => d.id),
    });
    return { repositories, deployments, pullRequests, incidents };
  });
  return { projectId, ...computeDoraMetrics(history, window) };
}
