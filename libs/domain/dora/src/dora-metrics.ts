import {
  DORA_METRIC_RULES,
  type AiAssistanceKind,
  type DoraBucketDto,
  type DoraDeploymentRowDto,
  type DoraFailureRateDto,
  type DoraFailureRule,
  type DoraIncidentRowDto,
  type DoraMetricsDto,
  type DoraPullRequestRowDto,
} from "@devflow/contracts";
import { classifyAiAssistance, type AiAssistance } from "./ai-assistance";
import {
  finishTimeOf,
  isInEnvironment,
  isSuccessful,
  type DoraDeployment,
  type DoraHistory,
  type DoraIncident,
  type DoraPullRequest,
  type DoraWindow,
} from "./dora-history";
import { bucketsOf, DAY_MS, dayOf, durationStats, elapsed, isWithin, percentile, type Bucket } from "./dora-stats";
import { deliveryOf, leadTimeOf, sortByFinish, type Delivery } from "./lead-time";

/** The metrics of a project's history over a window: everything of DoraMetricsDto but the project's id. */
export type DoraReport = Omit<DoraMetricsDto, "projectId">;

/** A merged pull request with what the computation decided about it. */
interface Change {
  pr: DoraPullRequest & { mergedAt: Date };
  ai: AiAssistance;
  delivery: Delivery;
}

/**
 * Computes the four DORA metrics of `history` over `window`, with a row for every deployment, merged
 * pull request and incident the window involves, each naming the rule that counted or excluded it.
 * Pure: the same history and window always give the same report.
 */
export function computeDoraMetrics(history: DoraHistory, window: DoraWindow): DoraReport {
  const names = new Map(history.repositories.map((r) => [r.id, r.fullName]));
  const deployments = history.deployments.filter((d) => names.has(d.repositoryId));
  const changes = changesOf(history, window, names);
  const incidentsByDeployment = groupBy(
    history.incidents.filter((i) => i.deploymentId !== null),
    (i) => i.deploymentId!,
  );

  const deploymentRows = deploymentRowsOf(deployments, window, changes, incidentsByDeployment, names);
  const countedForFailure = new Set(
    deploymentRows.filter((d) => d.rule === "succeeded" || d.rule === "failed").map((d) => d.id),
  );
  const pullRequestRows = pullRequestRowsOf(changes, window, names);
  const incidentRows = incidentRowsOf(history.incidents, window, countedForFailure);
  const days = Math.round((window.to.getTime() - window.from.getTime()) / DAY_MS);
  const { granularity, buckets } = bucketsOf(window.from, window.to);

  const succeeded = deploymentRows.filter((d) => d.rule === "succeeded");
  const finished = deploymentRows.filter((d) => countedForFailure.has(d.id));
  const deployed = pullRequestRows.filter((pr) => pr.rule === "deployed");
  const resolved = incidentRows.filter((i) => i.rule === "resolved");
  const leadTimes = (rows: readonly DoraPullRequestRowDto[]) => rows.map((pr) => pr.leadTimeMs!);
  const stage = (pick: (pr: DoraPullRequestRowDto) => number | null) =>
    durationStats(deployed.flatMap((pr) => (pick(pr) === null ? [] : [pick(pr)!])));

  return {
    environment: window.environment,
    from: dayOf(window.from),
    to: dayOf(window.to),
    days,
    repositoryCount: history.repositories.length,
    rules: DORA_METRIC_RULES,
    deploymentFrequency: {
      deployments: succeeded.length,
      perDay: succeeded.length / days,
      perWeek: (succeeded.length * 7) / days,
    },
    leadTime: {
      ...durationStats(leadTimes(deployed)),
      stages: {
        coding: stage((pr) => pr.stages.codingMs),
        pickup: stage((pr) => pr.stages.pickupMs),
        review: stage((pr) => pr.stages.reviewMs),
        deploy: stage((pr) => pr.stages.deployMs),
      },
      byAiAssistance: byKind((kind) =>
        durationStats(leadTimes(deployed.filter((pr) => pr.aiAssistance.kind === kind))),
      ),
    },
    changeFailureRate: {
      ...failureRate(finished),
      byAiAssistance: byKind((kind) => failureRate(finished.filter((d) => d.aiAssistance === kind))),
    },
    timeToRestore: {
      ...durationStats(resolved.map((i) => i.restoreMs!)),
      open: incidentRows.filter((i) => i.rule === "open").length,
    },
    granularity,
    series: seriesOf(buckets, finished, deployed, resolved),
    deployments: deploymentRows,
    pullRequests: pullRequestRows,
    incidents: incidentRows,
  };
}

/** Step 1: every merged pull request of the project, classified and matched to its deployments. */
function changesOf(history: DoraHistory, window: DoraWindow, names: Map<string, string>): Change[] {
  const inEnvironment = history.deployments.filter(
    (d) => names.has(d.repositoryId) && isInEnvironment(d, window.environment),
  );
  const finishedByRepository = groupBy(sortByFinish(inEnvironment), (d) => d.repositoryId);
  return history.pullRequests
    .filter((pr): pr is Change["pr"] => pr.mergedAt !== null && names.has(pr.repositoryId))
    .map((pr) => ({
      pr,
      ai: classifyAiAssistance(pr),
      delivery: deliveryOf(pr, finishedByRepository.get(pr.repositoryId) ?? []),
    }));
}

/** Step 2: the deployments of the window — finished in it, or (unfinished) created in it — and their rule. */
function deploymentRowsOf(
  deployments: readonly DoraDeployment[],
  window: DoraWindow,
  changes: readonly Change[],
  incidentsByDeployment: Map<string, DoraIncident[]>,
  names: Map<string, string>,
): DoraDeploymentRowDto[] {
  const carried = new Map<string, Change[]>();
  for (const change of changes) {
    for (const d of change.delivery.carriedBy) carried.set(d.id, [...(carried.get(d.id) ?? []), change]);
  }
  const rows: { at: Date; row: DoraDeploymentRowDto }[] = [];
  for (const d of deployments) {
    const finishedAt = finishTimeOf(d);
    const rule = !isInEnvironment(d, window.environment)
      ? "other_environment"
      : finishedAt === null
        ? "unfinished"
        : isSuccessful(d)
          ? "succeeded"
          : "failed";
    const at = rule === "succeeded" || rule === "failed" ? finishedAt! : (d.finishedAt ?? d.createdAt);
    if (!isWithin(at, window)) continue;

    const shipped = carried.get(d.id) ?? [];
    const incidentIds = (incidentsByDeployment.get(d.id) ?? []).map((i) => i.id);
    const failureRules: DoraFailureRule[] = [
      ...(rule === "failed" ? (["deployment_failed"] as const) : []),
      ...(incidentIds.length && (rule === "succeeded" || rule === "failed") ? (["incident_attributed"] as const) : []),
    ];
    rows.push({
      at,
      row: {
        id: d.id,
        repository: names.get(d.repositoryId)!,
        environment: d.environment,
        sha: d.sha,
        ref: d.ref,
        status: d.status,
        createdAt: d.createdAt.toISOString(),
        finishedAt: d.finishedAt?.toISOString() ?? null,
        rule,
        failure: failureRules.length ? { rules: failureRules, incidentIds } : null,
        pullRequestIds: shipped.map((c) => c.pr.id),
        aiAssistance: deploymentAiAssistance(shipped),
      },
    });
  }
  return newestFirst(rows);
}

/** Step 3: merged pull requests first deployed in the window (counted), or merged in it and not yet deployed. */
function pullRequestRowsOf(
  changes: readonly Change[],
  window: DoraWindow,
  names: Map<string, string>,
): DoraPullRequestRowDto[] {
  const rows: { at: Date; row: DoraPullRequestRowDto }[] = [];
  for (const { pr, ai, delivery } of changes) {
    const deployedAt = delivery.deployment ? finishTimeOf(delivery.deployment) : null;
    const isDeployed = isWithin(deployedAt, window);
    // Deployed before the window: an earlier window's change. Merged before it and not deployed in it: likewise.
    const isPending = !isDeployed && isWithin(pr.mergedAt, window) && !(deployedAt && deployedAt < window.from);
    if (!isDeployed && !isPending) continue;
    const leadTime = isDeployed ? leadTimeOf(pr, deployedAt!) : null;
    rows.push({
      at: pr.mergedAt,
      row: {
        id: pr.id,
        repository: names.get(pr.repositoryId)!,
        number: pr.number,
        title: pr.title,
        url: pr.url,
        authorLogin: pr.authorLogin,
        firstCommitAt: pr.firstCommitAt?.toISOString() ?? null,
        openedAt: pr.openedAt.toISOString(),
        firstReviewAt: pr.firstReviewAt?.toISOString() ?? null,
        mergedAt: pr.mergedAt.toISOString(),
        rule: isDeployed ? "deployed" : "not_deployed",
        match: isDeployed ? delivery.match : null,
        deploymentId: isDeployed ? delivery.deployment!.id : null,
        deployedAt: isDeployed ? deployedAt!.toISOString() : null,
        startedFrom: pr.firstCommitAt ? "first_commit" : "opened",
        leadTimeMs: leadTime?.totalMs ?? null,
        stages: leadTime?.stages ?? { codingMs: null, pickupMs: null, reviewMs: null, deployMs: null },
        aiAssistance: ai,
      },
    });
  }
  return newestFirst(rows);
}

/** Step 4: incidents opened in the window (resolved ones counted), and those blaming one of its deployments. */
function incidentRowsOf(
  incidents: readonly DoraIncident[],
  window: DoraWindow,
  countedForFailure: ReadonlySet<string>,
): DoraIncidentRowDto[] {
  const rows: { at: Date; row: DoraIncidentRowDto }[] = [];
  for (const incident of incidents) {
    const countsAsFailure = incident.deploymentId !== null && countedForFailure.has(incident.deploymentId);
    const isOpenedInWindow = isWithin(incident.openedAt, window);
    if (!isOpenedInWindow && !countsAsFailure) continue;
    const rule = !isOpenedInWindow ? "opened_outside_window" : incident.resolvedAt ? "resolved" : "open";
    rows.push({
      at: incident.openedAt,
      row: {
        id: incident.id,
        title: incident.title,
        severity: incident.severity,
        openedAt: incident.openedAt.toISOString(),
        resolvedAt: incident.resolvedAt?.toISOString() ?? null,
        deploymentId: incident.deploymentId,
        attribution: incident.attributedManually ? "manual" : "automatic",
        rule,
        restoreMs: rule === "resolved" ? elapsed(incident.openedAt, incident.resolvedAt!) : null,
        countsAsFailure,
      },
    });
  }
  return newestFirst(rows);
}

/** Step 5: the series — each bucket's counts and medians, from the rows counted above. */
function seriesOf(
  buckets: readonly Bucket[],
  finished: readonly DoraDeploymentRowDto[],
  deployed: readonly DoraPullRequestRowDto[],
  resolved: readonly DoraIncidentRowDto[],
): DoraBucketDto[] {
  return buckets.map((bucket) => {
    const inBucket = (at: string | null) => isWithin(at === null ? null : new Date(at), bucket);
    const bucketFinished = finished.filter((d) => inBucket(d.finishedAt));
    return {
      start: dayOf(bucket.start),
      end: dayOf(bucket.end),
      deployments: bucketFinished.filter((d) => d.rule === "succeeded").length,
      finishedDeployments: bucketFinished.length,
      failedDeployments: bucketFinished.filter((d) => d.failure !== null).length,
      leadTimeMedianMs: percentile(
        deployed.filter((pr) => inBucket(pr.deployedAt)).map((pr) => pr.leadTimeMs!),
        0.5,
      ),
      restoreMedianMs: percentile(
        resolved.filter((i) => inBucket(i.openedAt)).map((i) => i.restoreMs!),
        0.5,
      ),
    };
  });
}

/**
 * A deployment is AI-assisted when any pull request it carried is, human when every one it carried
 * is declared human, and unknown otherwise (nothing carried, or some unclassified).
 */
function deploymentAiAssistance(shipped: readonly Change[]): AiAssistanceKind {
  if (shipped.some((c) => c.ai.kind === "ai_assisted")) return "ai_assisted";
  if (shipped.length > 0 && shipped.every((c) => c.ai.kind === "human")) return "human";
  return "unknown";
}

function failureRate(rows: readonly DoraDeploymentRowDto[]): DoraFailureRateDto {
  const failed = rows.filter((d) => d.failure !== null).length;
  return { failed, total: rows.length, rate: rows.length ? failed / rows.length : null };
}

function byKind<T>(of: (kind: AiAssistanceKind) => T): Record<AiAssistanceKind, T> {
  return { ai_assisted: of("ai_assisted"), human: of("human"), unknown: of("unknown") };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** Rows by time, newest first; ties by id so the order is stable. */
function newestFirst<R extends { id: string }>(rows: { at: Date; row: R }[]): R[] {
  return rows.sort((a, b) => b.at.getTime() - a.at.getTime() || a.row.id.localeCompare(b.row.id)).map(({ row }) => row);
}
