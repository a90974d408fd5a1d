import type { Tx } from "@devflow/db";

const revisionColumns = {
  id: true,
  documentId: true,
  name: true,
  version: true,
  createdById: true,
  createdAt: true,
} as const;

export interface OpRow {
  version: number;
  userId: string | null;
  createdAt: Date;
  op: unknown;
}

/** Up to `take` ops below `beforeVersion`, newest first. */
export function listOpsBefore(tx: Tx, documentId: string, beforeVersion: number, take: number): Promise<OpRow[]> {
  return tx.documentOperation.findMany({
    where: { documentId, version: { lt: beforeVersion } },
    orderBy: { version: "desc" },
    take,
    select: { version: true, userId: true, createdAt: true, op: true },
  });
}

/** The people behind `userIds` as this organization knows them (through their memberships, past or present). */
export async function findUsers(tx: Tx, userIds: readonly string[]) {
  if (userIds.length === 0) return [];
  const rows = await tx.membership.findMany({
    where: { userId: { in: [...userIds] } },
    select: { user: { select: { id: true, name: true, avatarUrl: true } } },
  });
  return rows.map((row) => row.user);
}

export function listRevisions(tx: Tx, documentId: string, take: number) {
  return tx.documentRevision.findMany({
    where: { documentId },
    orderBy: [{ version: "desc" }, { createdAt: "desc" }],
    take,
    select: revisionColumns,
  });
}

export function findRevision(tx: Tx, documentId: string, revisionId: string) {
  return tx.documentRevision.findFirst({ where: { id: revisionId, documentId }, select: revisionColumns });
}

/** The stored text of a named revision at exactly `version`, if one was named there. */
export async function findRevisionContent(tx: Tx, documentId: string, version: number): Promise<string | null> {
  const row = await tx.documentRevision.findFirst({ where: { documentId, version }, select: { content: true } });
  return row?.content ?? null;
}

export function insertRevision(
  tx: Tx,
  data: {
    organizationId: string;
    documentId: string;
    version: number;
    name: string;
    content: string;
    createdById: string;
  },
) {
  return tx.documentRevision.create({ data, select: revisionColumns });
}

export function deleteRevision(tx: Tx, revisionId: string) {
  return tx.documentRevision.delete({ where: { id: revisionId } });
}

export function countRevisions(tx: Tx, documentId: string) {
  return tx.documentRevision.count({ where: { documentId } });
}

/**
 * The newest snapshot at or below `version`. With the ops after it (`listOpsBetween`) it gives
 * the text at `version`, reading only that stretch of the log, as the collab engine's `textAt` does.
 */
export function findLatestSnapshot(tx: Tx, documentId: string, version: number) {
  return tx.documentSnapshot.findFirst({
    where: { documentId, version: { lte: version } },
    orderBy: { version: "desc" },
    select: { version: true, content: true },
  });
}

/** The ops producing versions `afterVersion + 1` … `upToVersion`, oldest first. */
export function listOpsBetween(tx: Tx, documentId: string, afterVersion: number, upToVersion: number) {
  if (upToVersion <= afterVersion) return Promise.resolve([]);
  return tx.documentOperation.findMany({
    where: { documentId, version: { gt: afterVersion, lte: upToVersion } },
    orderBy: { version: "asc" },
    select: { version: true, op: true },
  });
}
