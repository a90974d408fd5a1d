import type { Prisma, Tx } from "@devflow/db";

/** List rows leave the text out: a page of 100 summaries must not drag 100 MB of markdown along. */
export const summaryColumns = {
  id: true,
  projectId: true,
  title: true,
  kind: true,
  status: true,
  version: true,
  archivedAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

const documentColumns = { ...summaryColumns, content: true } as const;

export type DocumentSummaryRow = Prisma.DocumentGetPayload<{ select: typeof summaryColumns }>;
export type DocumentRow = Prisma.DocumentGetPayload<{ select: typeof documentColumns }>;

export function listDocuments(
  tx: Tx,
  projectId: string,
  archived: boolean,
  limit: number,
  after?: { updatedAt: Date; id: string },
) {
  return tx.document.findMany({
    where: {
      projectId,
      archivedAt: archived ? { not: null } : null,
      ...(after && {
        OR: [{ updatedAt: { lt: after.updatedAt } }, { updatedAt: after.updatedAt, id: { lt: after.id } }],
      }),
    },
    select: summaryColumns,
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
}

export function findDocument(tx: Tx, documentId: string) {
  return tx.document.findUnique({ where: { id: documentId }, select: documentColumns });
}

export async function insertDocument(tx: Tx, data: Prisma.DocumentUncheckedCreateInput) {
  const row = await tx.document.create({ data, select: documentColumns });
  // Version 0's text is the first snapshot, so history and catch-up start from what was created.
  await tx.documentSnapshot.create({
    data: { organizationId: data.organizationId, documentId: row.id, version: 0, content: row.content },
  });
  return row;
}

export function updateDocument(tx: Tx, documentId: string, data: Prisma.DocumentUncheckedUpdateInput) {
  return tx.document.update({ where: { id: documentId }, data, select: summaryColumns });
}

export function deleteDocument(tx: Tx, documentId: string) {
  return tx.document.delete({ where: { id: documentId } });
}

/** The acting member and how they appear to others, or null when they are not an active member. */
export function findActiveMember(tx: Tx, organizationId: string, userId: string) {
  return tx.membership.findFirst({
    where: { organizationId, userId, status: "active" },
    select: { role: true, user: { select: { id: true, name: true, avatarUrl: true } } },
  });
}
