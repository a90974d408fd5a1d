import type { NotificationChannels, NotificationType } from "@devflow/contracts";
import type { Prisma, Tx } from "@devflow/db";

/*
 * Every query here runs inside withTenant, so row-level security already keeps it to one
 * organization; the `userId` in each where clause keeps it to one person within it.
 */

export const notificationColumns = {
  id: true,
  type: true,
  title: true,
  body: true,
  link: true,
  readAt: true,
  createdAt: true,
} as const;

export type NotificationRow = Prisma.NotificationGetPayload<{ select: typeof notificationColumns }>;

/** Where a page starts: after this (createdAt, id), newest first. */
export interface NotificationKey {
  createdAt: Date;
  id: string;
}

/** Up to `take` of the person's notifications, newest first, after `after` when given. */
export function listNotifications(
  tx: Tx,
  userId: string,
  options: { take: number; unreadOnly: boolean; after?: NotificationKey | undefined },
): Promise<NotificationRow[]> {
  const { after } = options;
  return tx.notification.findMany({
    where: {
      userId,
      ...(options.unreadOnly && { readAt: null }),
      ...(after && {
        OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }],
      }),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.take,
    select: notificationColumns,
  });
}

export function countUnread(tx: Tx, userId: string): Promise<number> {
  return tx.notification.count({ where: { userId, readAt: null } });
}

export function findNotification(tx: Tx, userId: string, id: string): Promise<NotificationRow | null> {
  return tx.notification.findFirst({ where: { id, userId }, select: notificationColumns });
}

/** Marks the person's unread notifications among `ids` (all of them without `ids`) read; ids of others' are ignored. */
export async function markRead(tx: Tx, userId: string, ids: readonly string[] | null, at: Date): Promise<number> {
  const { count } = await tx.notification.updateMany({
    where: { userId, readAt: null, ...(ids && { id: { in: [...ids] } }) },
    data: { readAt: at },
  });
  return count;
}

export function insertNotification(
  tx: Tx,
  data: {
    organizationId: string;
    userId: string;
    type: NotificationType;
    title: string;
    body: string;
    link: string | null;
    payload: Prisma.InputJsonObject;
  },
): Promise<NotificationRow> {
  return tx.notification.create({ data, select: notificationColumns });
}

/**
 * The preferences the people stored under `names` (all of them without it; see storedNamesOf for
 * a type's names); missing ones mean the defaults.
 */
export function listPreferences(tx: Tx, userIds: readonly string[], names?: readonly string[]) {
  return tx.notificationPreference.findMany({
    where: { userId: { in: [...userIds] }, ...(names && { eventType: { in: [...names] } }) },
    select: { userId: true, eventType: true, inApp: true, email: true, slack: true },
  });
}

export async function upsertPreference(
  tx: Tx,
  key: { organizationId: string; userId: string; type: NotificationType },
  channels: NotificationChannels,
): Promise<void> {
  await tx.notificationPreference.upsert({
    where: {
      organizationId_userId_eventType: {
        organizationId: key.organizationId,
        userId: key.userId,
        eventType: key.type,
      },
    },
    create: { organizationId: key.organizationId, userId: key.userId, eventType: key.type, ...channels },
    update: channels,
  });
}

/** The active members among `userIds`, with the role their access is decided by and where to email them. */
export function findActiveMembers(tx: Tx, organizationId: string, userIds: readonly string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return tx.membership.findMany({
    where: { organizationId, userId: { in: [...userIds] }, status: "active" },
    select: { role: true, user: { select: { id: true, name: true, email: true } } },
  });
}

/** The organization's active admins and owners, who look after its integrations and failed jobs. */
export function findActiveAdmins(tx: Tx, organizationId: string) {
  return tx.membership.findMany({
    where: { organizationId, status: "active", role: { in: ["owner", "admin"] } },
    select: { role: true, user: { select: { id: true, name: true, email: true } } },
    orderBy: { userId: "asc" },
  });
}

export function isActiveMember(tx: Tx, organizationId: string, userId: string): Promise<boolean> {
  return tx.membership.count({ where: { organizationId, userId, status: "active" } }).then((count) => count > 0);
}

/** A person's name as this organization knows them (a former member keeps their name on old comments). */
export async function findUserName(tx: Tx, userId: string): Promise<string | null> {
  const row = await tx.membership.findFirst({ where: { userId }, select: { user: { select: { name: true } } } });
  return row?.user.name ?? null;
}

export function findOrganizationSlug(tx: Tx, organizationId: string): Promise<string | null> {
  return tx.organization
    .findUnique({ where: { id: organizationId }, select: { slug: true } })
    .then((row) => row?.slug ?? null);
}

export function findOrganization(tx: Tx, organizationId: string) {
  return tx.organization.findUnique({ where: { id: organizationId }, select: { slug: true, name: true } });
}

export function findProject(tx: Tx, projectId: string) {
  return tx.project.findUnique({ where: { id: projectId }, select: { id: true, name: true, description: true } });
}

export function findComment(tx: Tx, commentId: string) {
  return tx.comment.findUnique({
    where: { id: commentId },
    select: { id: true, documentId: true, parentId: true, authorId: true, body: true, createdAt: true },
  });
}

/** Who wrote the thread's comments before `comment` (the thread's first comment included), oldest first. */
export async function listEarlierThreadAuthors(
  tx: Tx,
  threadId: string,
  comment: { id: string; createdAt: Date },
): Promise<string[]> {
  const rows = await tx.comment.findMany({
    where: {
      OR: [{ id: threadId }, { parentId: threadId }],
      NOT: { id: comment.id },
      createdAt: { lte: comment.createdAt },
      authorId: { not: null },
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { authorId: true },
  });
  return rows.map((row) => row.authorId!);
}

export function findDocumentTitle(tx: Tx, documentId: string): Promise<string | null> {
  return tx.document
    .findUnique({ where: { id: documentId }, select: { title: true } })
    .then((row) => row?.title ?? null);
}
