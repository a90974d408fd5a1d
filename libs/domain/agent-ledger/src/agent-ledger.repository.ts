import type { Prisma, Tx } from "@devflow/db";

/** Everything a list row needs; input and output are read for the preview, the diff for its stats. */
const executionColumns = {
  id: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  durationMs: true,
  userId: true,
  projectId: true,
  agent: true,
  tool: true,
  apiTokenId: true,
  status: true,
  input: true,
  sources: true,
  diff: true,
  error: true,
} as const;

export type ExecutionRow = Prisma.AgentExecutionGetPayload<{ select: typeof executionColumns }>;
export type ExecutionDetailRow = ExecutionRow & { output: Prisma.JsonValue | null };

export function insertExecution(tx: Tx, data: Prisma.AgentExecutionUncheckedCreateInput) {
  return tx.agentExecution.create({ data, select: { id: true } });
}

export interface ExecutionWhere {
  projectId?: string | undefined;
  agent?: string | undefined;
  tool?: string | undefined;
  status?: Prisma.AgentExecutionWhereInput["status"];
  userId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

export interface ExecutionCursor {
  createdAt: Date;
  id: string;
}

/** Runs newest first, from just after `before`, within `scope` (the reader's visibility filter). */
export function listExecutions(
  tx: Tx,
  scope: Prisma.AgentExecutionWhereInput,
  where: ExecutionWhere,
  limit: number,
  before?: ExecutionCursor,
) {
  return tx.agentExecution.findMany({
    where: {
      AND: [
        scope,
        {
          ...(where.projectId && { projectId: where.projectId }),
          ...(where.agent && { agent: where.agent }),
          ...(where.tool && { tool: where.tool }),
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
    select: executionColumns,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
  });
}

export function findExecution(tx: Tx, scope: Prisma.AgentExecutionWhereInput, id: string) {
  return tx.agentExecution.findFirst({
    where: { AND: [scope, { id }] },
    select: { ...executionColumns, output: true },
  });
}

export function findUsers(tx: Tx, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return tx.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, email: true, name: true } });
}

export function findProjects(tx: Tx, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return tx.project.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } });
}

export function findApiTokens(tx: Tx, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return tx.apiToken.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } });
}

/**
 * Of `documentIds`, those the reader may still open: in this organization (RLS), not deleted, and in a
 * project among `visibleProjectIds` (null: every project).
 */
export async function findReadableDocumentIds(
  tx: Tx,
  documentIds: readonly string[],
  visibleProjectIds: readonly string[] | null,
): Promise<Set<string>> {
  if (documentIds.length === 0) return new Set();
  const rows = await tx.document.findMany({
    where: {
      id: { in: [...documentIds] },
      ...(visibleProjectIds !== null && { projectId: { in: [...visibleProjectIds] } }),
    },
    select: { id: true },
  });
  return new Set(rows.map((r) => r.id));
}
