import type { Tx } from "@devflow/db";
import type { MentionWindow } from "./mention-excerpt";

/** How much text a mention's window holds on either side of the token's link target. */
const WINDOW_SIDE = 400;

/** The document's title and project, without its text. */
export function findDocumentHeading(tx: Tx, documentId: string) {
  return tx.document.findUnique({
    where: { id: documentId },
    select: { title: true, projectId: true, archivedAt: true },
  });
}

/**
 * The text around the first mention of `userId` in the document, cut out in the database so that a
 * megabyte of markdown never travels for a 280-character quote; null when there is none any more.
 * Positions are PostgreSQL's (characters), so only the window's ends need care, not its middle.
 */
export async function findMentionWindow(tx: Tx, documentId: string, userId: string): Promise<MentionWindow | null> {
  const needle = `](mention:${userId})`;
  const [row] = await tx.$queryRaw<MentionWindow[]>`
    SELECT substr(content, first, last - first + 1) AS text, first > 1 AS "isCutBefore",
           last < char_length(content) AS "isCutAfter"
    FROM (
      SELECT content, greatest(at - ${WINDOW_SIDE}::int, 1) AS first, at + ${WINDOW_SIDE}::int AS last
      FROM (SELECT content, strpos(content, ${needle}) AS at FROM documents WHERE id = ${documentId}::uuid) AS found
      WHERE at > 0
    ) AS bounds`;
  return row ?? null;
}
