import type { Tx } from "@devflow/db";
import type { GitHubIssue } from "./github-payloads";
import { isOlderThanStored } from "./github-rules";
import type { RepositoryScope, TouchedRow } from "./github-types";

/** The environment whose deployments incidents are attributed to (any case). */
const PRODUCTION = "production";

/** Whether deployments to `environment` are the ones incidents are attributed to. */
export function isProduction(environment: string): boolean {
  return environment.toLowerCase() === PRODUCTION;
}

/**
 * incidents.external_id has no unique index, so this is find-then-write. Two deliveries for the
 * same issue cannot both find nothing and both insert: applyGitHubEvent holds the repository's
 * advisory lock until commit, and the second transaction's find (a fresh READ COMMITTED snapshot
 * taken after the lock) sees the first one's row.
 */
export async function upsertIncident(
  tx: Tx,
  scope: RepositoryScope,
  issue: GitHubIssue,
  severity: string,
  action: string,
): Promise<TouchedRow> {
  const externalId = `github:${scope.repositoryExternalId}:${issue.number}`;
  const stored = await tx.incident.findFirst({
    where: { organizationId: scope.organizationId, externalId },
    orderBy: { createdAt: "asc" },
    select: { id: true, resolvedAt: true, attributedManually: true },
  });
  // GitHub keeps closed_at on a reopened issue, so resolution follows the state, not closed_at.
  const isClosed = issue.state === "closed";
  const closedAt = isClosed ? new Date(issue.closed_at ?? issue.updated_at) : null;
  const storedLifecycle = {
    state: stored?.resolvedAt ? ("closed" as const) : ("open" as const),
    closedAt: stored?.resolvedAt ?? null,
  };
  if (
    stored &&
    isOlderThanStored(storedLifecycle, { state: issue.state, updatedAt: new Date(issue.updated_at), closedAt, action })
  ) {
    return { table: "incidents", id: stored.id, applied: false };
  }
  const openedAt = new Date(issue.created_at);
  const fields = {
    title: issue.title,
    severity,
    openedAt,
    resolvedAt: closedAt,
    // An admin's choice of deployment stands; otherwise the rule decides again.
    ...(!stored?.attributedManually && { deploymentId: await attributedDeploymentId(tx, scope, openedAt) }),
  };
  const row = stored
    ? await tx.incident.update({ where: { id: stored.id }, data: fields, select: { id: true } })
    : await tx.incident.create({
        data: { organizationId: scope.organizationId, externalId, ...fields },
        select: { id: true },
      });
  return { table: "incidents", id: row.id, applied: true };
}

/**
 * The deployment an incident is attributed to (for change failure rate): the latest production
 * deployment of the incident's repository that had succeeded by the time the issue was opened —
 * what was live when it broke. "Latest" is by finish time (the success status's created_at), not
 * by creation, because that is when the change reached production; "succeeded" includes a success
 * since superseded (inactive with a finish time). Null when none had. claimIncidents applies the
 * same rule when the deployment's success arrives after the incident.
 */
async function attributedDeploymentId(tx: Tx, scope: RepositoryScope, openedAt: Date): Promise<string | null> {
  const deployment = await tx.deployment.findFirst({
    where: {
      organizationId: scope.organizationId,
      repositoryId: scope.repositoryId,
      environment: { equals: PRODUCTION, mode: "insensitive" },
      status: { in: ["success", "inactive"] },
      finishedAt: { not: null, lte: openedAt },
    },
    orderBy: [{ finishedAt: "desc" }, { createdAt: "desc" }],
    select: { id: true },
  });
  return deployment?.id ?? null;
}

/**
 * Attribution, seen from the deployment: the incidents of this repository opened at or after it
 * finished that are unattributed or attributed to a deployment that finished earlier now point at
 * it — the same answer attributedDeploymentId gives, whichever of the incident and the
 * deployment's success was delivered first. Incidents an admin attributed by hand keep their
 * deployment. Incidents have no repository column: their
 * external id (github:<repository id>:<issue number>) names it.
 */
export async function claimIncidents(tx: Tx, scope: RepositoryScope, deploymentId: string, finishedAt: Date) {
  await tx.incident.updateMany({
    where: {
      organizationId: scope.organizationId,
      externalId: { startsWith: `github:${scope.repositoryExternalId}:` },
      openedAt: { gte: finishedAt },
      attributedManually: false,
      OR: [{ deploymentId: null }, { deployment: { finishedAt: { lt: finishedAt } } }],
    },
    data: { deploymentId },
  });
}
