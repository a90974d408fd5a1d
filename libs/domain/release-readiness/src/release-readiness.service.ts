import { can, type RequestContext } from "@devflow/auth";
import {
  DoraMetricsQuerySchema,
  PrAnalysisSchema,
  RELEASE_DORA_WINDOW_DAYS,
  TriageSuggestionSchema,
  type DoraMetricsDto,
  type MilestoneDto,
  type MilestoneListDto,
  type ReleaseReadinessDto,
} from "@devflow/contracts";
import type { Database, Tx } from "@devflow/db";
import { readDoraMetrics } from "@devflow/domain-dora";
import { listVisibleProjectIds, loadVisibleProject } from "@devflow/domain-projects";
import { forbidden } from "@devflow/util-core";
import {
  assessRelease,
  type ReleaseDocument,
  type ReleaseDoraWindow,
  type ReleaseIssue,
  type ReleasePullRequest,
} from "./assess-release";
import * as repo from "./release-readiness.repository";

const DAY_MS = 86_400_000;

/**
 * The release readiness of one milestone of a project the reader may see: its pull requests and
 * issues in the project's linked repositories, the design docs they link, and the project's DORA
 * trend (the last RELEASE_DORA_WINDOW_DAYS days against the same span before), judged by
 * assessRelease. A project hidden from the reader, or of another organization, is not_found; an
 * unknown milestone title is judged on no rows (its gates say so).
 */
export async function readReleaseReadiness(
  db: Database,
  ctx: RequestContext,
  projectId: string,
  milestone: string,
  now: Date = new Date(),
): Promise<ReleaseReadinessDto> {
  assertCanRead(ctx);
  const rows = await db.withTenant(ctx, (tx) => readMilestoneRows(tx, ctx, projectId, milestone));
  const dora = await readDoraTrend(db, ctx, projectId, now);
  const { overall, gates } = assessRelease({ ...rows, dora });
  return { projectId, milestone, dueAt: rows.dueAt, overall, gates, assessedAt: now.toISOString() };
}

/**
 * The milestone titles on the pull requests and issues of a project's linked repositories, with
 * how many of each are open and closed (merged counts as closed); newest due date first, undated
 * ones last by title.
 */
export async function listMilestones(db: Database, ctx: RequestContext, projectId: string): Promise<MilestoneListDto> {
  assertCanRead(ctx);
  const [pullRequests, issues] = await db.withTenant(ctx, async (tx) => {
    await loadVisibleProject(tx, ctx, projectId);
    const repositoryIds = (await repo.listProjectRepositories(tx, projectId)).map((r) => r.id);
    return Promise.all([
      repo.countPullRequestsByMilestone(tx, repositoryIds),
      repo.countIssuesByMilestone(tx, repositoryIds),
    ]);
  });
  const byTitle = new Map<string, MilestoneDto>();
  const entry = (title: string): MilestoneDto => {
    const found = byTitle.get(title) ?? {
      title,
      dueAt: null,
      state: "closed",
      pullRequests: { open: 0, closed: 0 },
      issues: { open: 0, closed: 0 },
    };
    byTitle.set(title, found);
    return found;
  };
  const groups = [
    ...pullRequests.map((g) => ({ ...g, kind: "pullRequests" as const })),
    ...issues.map((g) => ({ ...g, kind: "issues" as const })),
  ];
  for (const group of groups) {
    if (group.milestone === null) continue;
    const milestone = entry(group.milestone);
    const isOpen = group.state === "open";
    milestone[group.kind][isOpen ? "open" : "closed"] += group._count._all;
    if (isOpen) milestone.state = "open";
    const due = group._max.milestoneDueAt?.toISOString() ?? null;
    if (due && (!milestone.dueAt || due > milestone.dueAt)) milestone.dueAt = due;
  }
  const milestones = [...byTitle.values()].sort(
    (a, b) => (b.dueAt ?? "").localeCompare(a.dueAt ?? "") || a.title.localeCompare(b.title),
  );
  return { projectId, milestones };
}

function assertCanRead(ctx: RequestContext): void {
  if (!can(ctx.actor, "project:read")) throw forbidden("You cannot read this organization's projects");
}

/** Step 1: the milestone's rows, in one tenant transaction. */
async function readMilestoneRows(tx: Tx, ctx: RequestContext, projectId: string, milestone: string) {
  await loadVisibleProject(tx, ctx, projectId);
  const repositories = await repo.listProjectRepositories(tx, projectId);
  const names = new Map(repositories.map((r) => [r.id, r.fullName]));
  const ids = [...names.keys()];
  const prRows = await repo.listMilestonePullRequests(tx, ids, milestone);
  const issueRows = await repo.listMilestoneIssues(tx, ids, milestone);

  const pullRequests: ReleasePullRequest[] = prRows.map((pr) => ({
    ...pr,
    repository: names.get(pr.repositoryId) ?? "",
    analysis: analysisOf(pr.analysis),
  }));
  const issues: ReleaseIssue[] = issueRows.map((issue) => ({
    ...issue,
    repository: names.get(issue.repositoryId) ?? "",
    priority: TriageSuggestionSchema.safeParse(issue.triage).data?.priority.value ?? null,
  }));
  const linked = new Set([...prRows, ...issueRows].flatMap((row) => row.linkedDocumentIds));
  const documents = await readDocuments(tx, ctx, [...linked]);
  const dueDates = [...prRows, ...issueRows].flatMap((row) => row.milestoneDueAt?.toISOString() ?? []).sort();
  return { pullRequests, issues, documents, dueAt: dueDates.at(-1) ?? null };
}

/** A stored analysis in an older or unexpected shape counts as none: the gate then says unknown. */
function analysisOf(stored: unknown): ReleasePullRequest["analysis"] {
  const analysis = PrAnalysisSchema.safeParse(stored).data;
  if (!analysis) return null;
  return { riskLevel: analysis.risk.level, riskScore: analysis.risk.score, conclusion: analysis.conclusion };
}

/**
 * Linked docs in projects the reader may not see still count toward the gate (the release is
 * the same for everyone) but are not named.
 */
async function readDocuments(tx: Tx, ctx: RequestContext, ids: string[]): Promise<ReleaseDocument[]> {
  if (ids.length === 0) return [];
  const visible = await listVisibleProjectIds(tx, ctx);
  const rows = await repo.listDocuments(tx, ids);
  return rows.map((doc) => ({
    id: doc.id,
    title: visible === null || visible.includes(doc.projectId) ? doc.title : null,
    status: doc.status,
  }));
}

/** Step 2: DORA over the last window and the one before it, through domain/dora's own read. */
async function readDoraTrend(db: Database, ctx: RequestContext, projectId: string, now: Date) {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const to = Date.parse(day(now.getTime() + DAY_MS));
  const from = to - RELEASE_DORA_WINDOW_DAYS * DAY_MS;
  const before = from - RELEASE_DORA_WINDOW_DAYS * DAY_MS;
  const read = (start: number, end: number) =>
    readDoraMetrics(db, ctx, projectId, DoraMetricsQuerySchema.parse({ from: day(start), to: day(end) }));
  const current = doraWindow("current", await read(from, to));
  const previous = doraWindow("previous", await read(before, from));
  return { current, previous };
}

function doraWindow(id: ReleaseDoraWindow["id"], metrics: DoraMetricsDto): ReleaseDoraWindow {
  return {
    id,
    from: metrics.from,
    to: metrics.to,
    deployments: metrics.changeFailureRate.total,
    changeFailureRate: metrics.changeFailureRate.rate,
    leadTimeMedianMs: metrics.leadTime.medianMs,
  };
}

export type ReleaseReadinessService = ReturnType<typeof createReleaseReadinessService>;

/** The release readiness reads bound to one Database, for the web app's routes. */
export function createReleaseReadinessService(db: Database) {
  return {
    milestones: (ctx: RequestContext, projectId: string) => listMilestones(db, ctx, projectId),
    readiness: (ctx: RequestContext, projectId: string, milestone: string) =>
      readReleaseReadiness(db, ctx, projectId, milestone),
  };
}
