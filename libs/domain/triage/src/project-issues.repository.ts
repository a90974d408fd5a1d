import type { Tx } from "@devflow/db";

// Reads of a project's issues, inside the caller's tenant transaction.

export interface IssueCursor {
  openedAt: Date;
  id: string;
}

export function listProjectRepositories(tx: Tx, projectId: string) {
  return tx.repository.findMany({ where: { projectId }, select: { id: true, fullName: true } });
}

/** Issues of the repositories, newest opened first (ties by id), after `before` when given. */
export function listIssues(
  tx: Tx,
  query: { repositoryIds: string[]; state: "open" | "closed" | null; limit: number; before?: IssueCursor },
) {
  const { repositoryIds, state, limit, before } = query;
  return tx.issue.findMany({
    where: {
      repositoryId: { in: repositoryIds },
      ...(state && { state }),
      ...(before && {
        OR: [{ openedAt: { lt: before.openedAt } }, { openedAt: before.openedAt, id: { lt: before.id } }],
      }),
    },
    select: {
      id: true,
      repositoryId: true,
      number: true,
      title: true,
      state: true,
      labels: true,
      url: true,
      milestone: true,
      openedAt: true,
      triage: true,
      linkedDocumentIds: true,
    },
    orderBy: [{ openedAt: "desc" }, { id: "desc" }],
    take: limit,
  });
}

export function listDocuments(tx: Tx, ids: string[]) {
  return tx.document.findMany({
    where: { id: { in: ids } },
    select: { id: true, title: true, projectId: true },
  });
}
