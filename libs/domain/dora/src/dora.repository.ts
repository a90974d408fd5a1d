import type { Prisma, Tx } from "@devflow/db";

// Reads of the rows the GitHub event processor stores, inside the caller's tenant transaction.

export function listProjectRepositories(tx: Tx, projectId: string) {
  return tx.repository.findMany({
    where: { projectId },
    select: { id: true, fullName: true, provider: true, externalId: true },
    orderBy: { fullName: "asc" },
  });
}

/**
 * Deployments of `repositoryIds` that finished in [since, until), or that are unfinished and were
 * created in it: all a window needs, its lookback included.
 */
export function listDeployments(tx: Tx, repositoryIds: string[], since: Date, until: Date) {
  return tx.deployment.findMany({
    where: {
      repositoryId: { in: repositoryIds },
      OR: [{ finishedAt: { gte: since, lt: until } }, { finishedAt: null, createdAt: { gte: since, lt: until } }],
    },
    select: {
      id: true,
      repositoryId: true,
      environment: true,
      sha: true,
      ref: true,
      status: true,
      createdAt: true,
      finishedAt: true,
    },
  });
}

/** Pull requests of `repositoryIds` merged in [since, until). */
export function listMergedPullRequests(tx: Tx, repositoryIds: string[], since: Date, until: Date) {
  return tx.pullRequest.findMany({
    where: { repositoryId: { in: repositoryIds }, mergedAt: { gte: since, lt: until } },
    select: {
      id: true,
      repositoryId: true,
      number: true,
      title: true,
      url: true,
      body: true,
      authorLogin: true,
      baseBranch: true,
      firstCommitAt: true,
      openedAt: true,
      firstReviewAt: true,
      mergedAt: true,
      mergeCommitSha: true,
    },
  });
}

const incidentColumns = {
  id: true,
  title: true,
  severity: true,
  deploymentId: true,
  attributedManually: true,
  openedAt: true,
  resolvedAt: true,
} as const;

/**
 * The project's incidents a window involves: opened in [from, to), or attributed to one of
 * `deploymentIds` (the window's deployments). An incident is the project's when the deployment it
 * is attributed to is one of the project's repositories'; an unattributed one when its issue is in
 * one of them (incidents have no repository column: their external id, github:<repository id>:<issue
 * number>, names it).
 */
export function listIncidents(
  tx: Tx,
  scope: { projectId: string; githubRepositoryIds: string[]; from: Date; to: Date; deploymentIds: string[] },
) {
  const ofProject: Prisma.IncidentWhereInput[] = [
    { deployment: { repository: { projectId: scope.projectId } } },
    // One condition per repository, never an empty OR: Prisma drops `OR: []`, matching every row.
    ...scope.githubRepositoryIds.map((id) => ({ deploymentId: null, externalId: { startsWith: `github:${id}:` } })),
  ];
  return tx.incident.findMany({
    where: {
      OR: [
        { openedAt: { gte: scope.from, lt: scope.to }, OR: ofProject },
        { deploymentId: { in: scope.deploymentIds } },
      ],
    },
    select: incidentColumns,
  });
}

export function findIncident(tx: Tx, id: string) {
  return tx.incident.findUnique({ where: { id }, select: incidentColumns });
}

export function findDeployment(tx: Tx, id: string) {
  return tx.deployment.findUnique({ where: { id }, select: { id: true } });
}

export function setIncidentDeployment(tx: Tx, id: string, deploymentId: string | null) {
  return tx.incident.update({ where: { id }, data: { deploymentId, attributedManually: true }, select: incidentColumns });
}
