import type { Prisma, Tx } from "@devflow/db";

const entryColumns = {
  id: true,
  createdAt: true,
  action: true,
  actorType: true,
  actorUserId: true,
  targetType: true,
  targetId: true,
  metadata: true,
  ipAddress: true,
} as const;

export type AuditLogRow = Prisma.AuditLogGetPayload<{ select: typeof entryColumns }>;

export interface AuditLogWhere {
  action?: string | undefined;
  actorUserId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** The sort key of the last row already read. */
export interface AuditLogCursor {
  createdAt: Date;
  id: string;
}

/** Entries newest first, from just after `before` (the last row of the previous page). */
export function listEntries(tx: Tx, where: AuditLogWhere, limit: number, before?: AuditLogCursor) {
  return tx.auditLog.findMany({
    where: {
      ...(where.action && { action: where.action }),
      ...(where.actorUserId && { actorUserId: where.actorUserId }),
      ...((where.from || where.to) && {
        createdAt: { ...(where.from && { gte: where.from }), ...(where.to && { lt: where.to }) },
      }),
      ...(before && {
        OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }],
      }),
    },
    select: entryColumns,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
  });
}

/** Names and emails of the people behind entries. Users are global identities, outside any tenant. */
export function findUsers(tx: Tx, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return tx.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, email: true, name: true } });
}
