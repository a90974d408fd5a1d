import type { Prisma, Tx } from "@devflow/db";

export const sessionColumns = {
  id: true,
  userId: true,
  projectId: true,
  documentId: true,
  title: true,
  createdAt: true,
  updatedAt: true,
} as const;

export const messageColumns = {
  id: true,
  sessionId: true,
  role: true,
  content: true,
  citations: true,
  toolCalls: true,
  model: true,
  createdAt: true,
} as const;

export type SessionRow = Prisma.ChatSessionGetPayload<{ select: typeof sessionColumns }>;
export type MessageRow = Prisma.ChatMessageGetPayload<{ select: typeof messageColumns }>;

/*
 * Every query names the user: row-level security keeps other organizations out, and this filter
 * keeps colleagues out of each other's conversations inside one.
 */

/** The user's conversations, most recently active first, after the keyset `(updatedAt, id)` if given. */
export function listSessions(
  tx: Tx,
  userId: string,
  take: number,
  after?: { updatedAt: Date; id: string },
): Promise<SessionRow[]> {
  return tx.chatSession.findMany({
    where: {
      userId,
      ...(after && {
        OR: [{ updatedAt: { lt: after.updatedAt } }, { updatedAt: after.updatedAt, id: { lt: after.id } }],
      }),
    },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take,
    select: sessionColumns,
  });
}

export function findSession(tx: Tx, userId: string, sessionId: string): Promise<SessionRow | null> {
  return tx.chatSession.findFirst({ where: { id: sessionId, userId }, select: sessionColumns });
}

export function countSessions(tx: Tx, userId: string): Promise<number> {
  return tx.chatSession.count({ where: { userId } });
}

export function insertSession(tx: Tx, data: Prisma.ChatSessionUncheckedCreateInput): Promise<SessionRow> {
  return tx.chatSession.create({ data, select: sessionColumns });
}

/** Changes a session's title and/or bumps its activity time; `updatedAt` moves with any update. */
export function updateSession(tx: Tx, sessionId: string, data: { title?: string }): Promise<SessionRow> {
  return tx.chatSession.update({
    where: { id: sessionId },
    data: { ...data, updatedAt: new Date() },
    select: sessionColumns,
  });
}

export async function deleteSession(tx: Tx, userId: string, sessionId: string): Promise<boolean> {
  const { count } = await tx.chatSession.deleteMany({ where: { id: sessionId, userId } });
  return count > 0;
}

/** The newest `take` messages of a session, returned oldest first. */
export async function listRecentMessages(tx: Tx, sessionId: string, take: number): Promise<MessageRow[]> {
  const rows = await tx.chatMessage.findMany({
    where: { sessionId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    select: messageColumns,
  });
  return rows.reverse();
}

export function countMessages(tx: Tx, sessionId: string): Promise<number> {
  return tx.chatMessage.count({ where: { sessionId } });
}

export function insertMessage(tx: Tx, data: Prisma.ChatMessageUncheckedCreateInput): Promise<MessageRow> {
  return tx.chatMessage.create({ data, select: messageColumns });
}

/** Whether the user is an active member: a service token minted minutes ago may outlive the membership. */
export async function isActiveMember(tx: Tx, organizationId: string, userId: string): Promise<boolean> {
  const row = await tx.membership.findFirst({
    where: { organizationId, userId, status: "active" },
    select: { userId: true },
  });
  return row !== null;
}
