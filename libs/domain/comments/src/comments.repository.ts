import type { Prisma, Tx } from "@devflow/db";

export const commentColumns = {
  id: true,
  documentId: true,
  parentId: true,
  authorId: true,
  body: true,
  anchorStart: true,
  anchorEnd: true,
  anchorVersion: true,
  isOutdated: true,
  quote: true,
  status: true,
  mentions: true,
  resolvedAt: true,
  editedAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

export type CommentRow = Prisma.CommentGetPayload<{ select: typeof commentColumns }>;

/** Every comment of the document (threads and replies), oldest first. */
export function listComments(tx: Tx, documentId: string): Promise<CommentRow[]> {
  return tx.comment.findMany({
    where: { documentId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: commentColumns,
  });
}

/** A thread's first comment and its replies, oldest first. */
export function listThreadComments(tx: Tx, documentId: string, threadId: string): Promise<CommentRow[]> {
  return tx.comment.findMany({
    where: { documentId, OR: [{ id: threadId, parentId: null }, { parentId: threadId }] },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: commentColumns,
  });
}

export function findComment(tx: Tx, documentId: string, commentId: string): Promise<CommentRow | null> {
  return tx.comment.findFirst({ where: { id: commentId, documentId }, select: commentColumns });
}

export function countThreads(tx: Tx, documentId: string): Promise<number> {
  return tx.comment.count({ where: { documentId, parentId: null } });
}

export function countReplies(tx: Tx, threadId: string): Promise<number> {
  return tx.comment.count({ where: { parentId: threadId } });
}

export function insertComment(tx: Tx, data: Prisma.CommentUncheckedCreateInput): Promise<CommentRow> {
  return tx.comment.create({ data, select: commentColumns });
}

export function updateComment(
  tx: Tx,
  commentId: string,
  data: Prisma.CommentUncheckedUpdateInput,
): Promise<CommentRow> {
  return tx.comment.update({ where: { id: commentId }, data, select: commentColumns });
}

/**
 * Stores an anchor moved to `version`, unless a concurrent reader already stored one at least as
 * new: anchors only ever move forward.
 */
export async function storeMovedAnchor(
  tx: Tx,
  commentId: string,
  anchor: { from: number; to: number; version: number; isOutdated: boolean },
): Promise<void> {
  await tx.comment.updateMany({
    where: { id: commentId, anchorVersion: { lt: anchor.version } },
    data: {
      anchorStart: anchor.from,
      anchorEnd: anchor.to,
      anchorVersion: anchor.version,
      isOutdated: anchor.isOutdated,
    },
  });
}

export function deleteComment(tx: Tx, commentId: string) {
  return tx.comment.delete({ where: { id: commentId } });
}

/** Up to `take` ops producing versions above `afterVersion`, up to `upToVersion`, oldest first. */
export function listOpsAfter(tx: Tx, documentId: string, afterVersion: number, upToVersion: number, take: number) {
  return tx.documentOperation.findMany({
    where: { documentId, version: { gt: afterVersion, lte: upToVersion } },
    orderBy: { version: "asc" },
    take,
    select: { version: true, op: true },
  });
}

/** The active members among `userIds`, with their role and how they appear. */
export function findActiveMembers(tx: Tx, organizationId: string, userIds: readonly string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return tx.membership.findMany({
    where: { organizationId, userId: { in: [...userIds] }, status: "active" },
    select: { role: true, user: { select: { id: true, name: true, avatarUrl: true } } },
  });
}

/** The people behind `userIds` as this organization knows them (through memberships, past or present). */
export async function findUsers(tx: Tx, userIds: readonly string[]) {
  if (userIds.length === 0) return [];
  const rows = await tx.membership.findMany({
    where: { userId: { in: [...userIds] } },
    select: { user: { select: { id: true, name: true, avatarUrl: true } } },
  });
  return rows.map((row) => row.user);
}
