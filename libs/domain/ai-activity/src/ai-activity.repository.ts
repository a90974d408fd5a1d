import type { Prisma, Tx } from "@devflow/db";

const activityColumns = {
  id: true,
  createdAt: true,
  userId: true,
  projectId: true,
  surface: true,
  tool: true,
  provider: true,
  model: true,
  inputTokens: true,
  outputTokens: true,
  latencyMs: true,
  costUsd: true,
  status: true,
  errorCode: true,
} as const;

export type AiActivityRow = Prisma.AiActivityGetPayload<{ select: typeof activityColumns }>;

export function insertActivity(tx: Tx, data: Prisma.AiActivityUncheckedCreateInput) {
  return tx.aiActivity.create({ data, select: { id: true } });
}

export interface ActivityWhere {
  projectId?: string | undefined;
  surface?: Prisma.AiActivityWhereInput["surface"];
  model?: string | undefined;
  status?: string | undefined;
  userId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** The sort key of the last row already read. */
export interface ActivityCursor {
  createdAt: Date;
  id: string;
}

/** Calls newest first, from just after `before`, within `scope` (the reader's visibility filter). */
export function listActivities(
  tx: Tx,
  scope: Prisma.AiActivityWhereInput,
  where: ActivityWhere,
  limit: number,
  before?: ActivityCursor,
) {
  return tx.aiActivity.findMany({
    where: {
      AND: [
        scope,
        {
          ...(where.projectId && { projectId: where.projectId }),
          ...(where.surface && { surface: where.surface }),
          ...(where.model && { model: where.model }),
          ...(where.status && { status: where.status }),
          ...(where.userId && { userId: where.userId }),
          ...((where.from || where.to) && {
            createdAt: { ...(where.from && { gte: where.from }), ...(where.to && { lt: where.to }) },
          }),
        },
        before
          ? { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] }
          : {},
      ],
    },
    select: activityColumns,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
  });
}

/** Names and emails of people. Users are global identities, outside any tenant. */
export function findUsers(tx: Tx, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return tx.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, email: true, name: true } });
}

/** Names of projects (of this organization, by RLS). */
export function findProjects(tx: Tx, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return tx.project.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } });
}
