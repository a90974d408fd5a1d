import type { Tx } from "@devflow/db";

// Reads of the GitHub rows a milestone groups, inside the caller's tenant transaction.

export function listProjectRepositories(tx: Tx, projectId: string) {
  return tx.repository.findMany({ where: { projectId }, select: { id: true, fullName: true } });
}

export function listMilestonePullRequests(tx: Tx, repositoryIds: string[], milestone: string) {
  return tx.pullRequest.findMany({
    where: { repositoryId: { in: repositoryIds }, milestone },
    select: {
      id: true,
      repositoryId: true,
      number: true,
      title: true,
      url: true,
      state: true,
      analysis: true,
      linkedDocumentIds: true,
      milestoneDueAt: true,
    },
    orderBy: [{ openedAt: "asc" }, { number: "asc" }],
  });
}

export function listMilestoneIssues(tx: Tx, repositoryIds: string[], milestone: string) {
  return tx.issue.findMany({
    where: { repositoryId: { in: repositoryIds }, milestone },
    select: {
      id: true,
      repositoryId: true,
      number: true,
      title: true,
      url: true,
      state: true,
      labels: true,
      triage: true,
      linkedDocumentIds: true,
      milestoneDueAt: true,
    },
    orderBy: [{ openedAt: "asc" }, { number: "asc" }],
  });
}

export function listDocuments(tx: Tx, ids: string[]) {
  return tx.document.findMany({
    where: { id: { in: ids } },
    select: { id: true, title: true, status: true, projectId: true },
    orderBy: { title: "asc" },
  });
}

/** Per milestone title and state: how many pull requests, and the latest due date seen. */
export function countPullRequestsByMilestone(tx: Tx, repositoryIds: string[]) {
  return tx.pullRequest.groupBy({
    by: ["milestone", "state"],
    where: { repositoryId: { in: repositoryIds }, milestone: { not: null } },
    _count: { _all: true },
    _max: { milestoneDueAt: true },
  });
}

export function countIssuesByMilestone(tx: Tx, repositoryIds: string[]) {
  return tx.issue.groupBy({
    by: ["milestone", "state"],
    where: { repositoryId: { in: repositoryIds }, milestone: { not: null } },
    _count: { _all: true },
    _max: { milestoneDueAt: true },
  });
}
