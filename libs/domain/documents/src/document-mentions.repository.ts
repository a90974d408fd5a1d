import type { Tx } from "@devflow/db";

/** The document's project, without its text (which can be a megabyte). */
export function findDocumentProject(tx: Tx, documentId: string) {
  return tx.document.findUnique({ where: { id: documentId }, select: { projectId: true, archivedAt: true } });
}

/** The active members among `userIds`, with the role their access is decided by. */
export function findActiveMembers(tx: Tx, organizationId: string, userIds: readonly string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return tx.membership.findMany({
    where: { organizationId, userId: { in: [...userIds] }, status: "active" },
    select: { userId: true, role: true },
  });
}

/**
 * Marks `userIds` as told of a mention in the document at `now`, and returns those who were not
 * already told since `since`. One statement, so two collab instances recording the same person at
 * the same moment cannot both win: the row lock makes the second wait and then see the first's time.
 */
export async function claimMentions(
  tx: Tx,
  key: { organizationId: string; documentId: string },
  userIds: readonly string[],
  now: Date,
  since: Date,
): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await tx.$queryRaw<{ userId: string }[]>`
    INSERT INTO document_mentions (organization_id, document_id, user_id, notified_at)
    SELECT ${key.organizationId}::uuid, ${key.documentId}::uuid, u, ${now}::timestamptz
    FROM unnest(${[...userIds]}::uuid[]) AS u
    ON CONFLICT (document_id, user_id) DO UPDATE SET notified_at = EXCLUDED.notified_at
      WHERE document_mentions.notified_at <= ${since}::timestamptz
    RETURNING user_id::text AS "userId"`;
  const claimed = new Set(rows.map((row) => row.userId));
  return userIds.filter((id) => claimed.has(id));
}
