import type { Prisma, Tx } from "@devflow/db";

// Reads and writes of the repositories the GitHub event processor stores, in the caller's tenant transaction.

/** The columns the list shows, with the counts: open pull requests, deployments created since `since`. */
const repositoryColumns = (since: Date) =>
  ({
    id: true,
    provider: true,
    fullName: true,
    defaultBranch: true,
    projectId: true,
    _count: {
      select: {
        pullRequests: { where: { state: "open" } },
        deployments: { where: { createdAt: { gte: since } } },
      },
    },
  }) satisfies Prisma.RepositorySelect;

export type RepositoryRow = Prisma.RepositoryGetPayload<{ select: ReturnType<typeof repositoryColumns> }>;

/** A page by full name (then id), one row more than `limit` when there is a next page. */
export function listRepositories(
  tx: Tx,
  scope: { projectId?: string; since: Date; limit: number; after?: { fullName: string; id: string } },
) {
  const { after } = scope;
  return tx.repository.findMany({
    where: {
      ...(scope.projectId && { projectId: scope.projectId }),
      ...(after && {
        OR: [{ fullName: { gt: after.fullName } }, { fullName: after.fullName, id: { gt: after.id } }],
      }),
    },
    select: repositoryColumns(scope.since),
    orderBy: [{ fullName: "asc" }, { id: "asc" }],
    take: scope.limit + 1,
  });
}

export function findRepository(tx: Tx, id: string, since: Date) {
  return tx.repository.findUnique({ where: { id }, select: repositoryColumns(since) });
}

/**
 * The repository's name and current project, its row locked until the transaction ends: two admins linking
 * it at once then record one change each, in order. Null when there is no such repository (another
 * organization's is not visible through row-level security).
 */
export async function lockRepository(
  tx: Tx,
  id: string,
): Promise<{ fullName: string; projectId: string | null } | null> {
  const rows = await tx.$queryRaw<{ full_name: string; project_id: string | null }[]>`
    SELECT full_name, project_id::text AS project_id FROM repositories WHERE id = ${id}::uuid FOR UPDATE`;
  return rows[0] ? { fullName: rows[0].full_name, projectId: rows[0].project_id } : null;
}

export function setRepositoryProject(tx: Tx, id: string, projectId: string | null) {
  return tx.repository.update({ where: { id }, data: { projectId }, select: { id: true } });
}

export function findProjects(tx: Tx, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return tx.project.findMany({
    where: { id: { in: [...ids] } },
    select: { id: true, key: true, name: true, archivedAt: true },
  });
}

/** The repository's name and stored settings, or null when there is none (or it is another organization's). */
export function findRepositorySettings(tx: Tx, id: string) {
  return tx.repository.findUnique({ where: { id }, select: { fullName: true, settings: true } });
}

/**
 * As findRepositorySettings, its row locked until the transaction ends: two admins saving gates at
 * once then merge into what the other saved rather than over it, and each records its own change.
 */
export async function lockRepositorySettings(tx: Tx, id: string) {
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM repositories WHERE id = ${id}::uuid FOR UPDATE`;
  return locked.length > 0 ? findRepositorySettings(tx, id) : null;
}

export function setRepositorySettings(tx: Tx, id: string, settings: Prisma.InputJsonObject) {
  return tx.repository.update({ where: { id }, data: { settings }, select: { id: true } });
}
