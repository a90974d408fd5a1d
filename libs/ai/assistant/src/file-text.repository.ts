import type { Tx } from "@devflow/db";

/**
 * The extracted text of a file that can be cited: ready, not archived, in a live project among
 * `visibleProjectIds` (null: every project), in the transaction's organization (row-level
 * security). The same conditions retrieval applies to a file's passages; null when any fails.
 */
export async function findCitableFileText(
  tx: Tx,
  fileId: string,
  visibleProjectIds: readonly string[] | null,
): Promise<string | null> {
  const rows = await tx.$queryRawUnsafe<{ text: string | null }[]>(
    `SELECT f.extracted_text AS text
       FROM files f
       JOIN projects p ON p.organization_id = f.organization_id AND p.id = f.project_id
      WHERE f.id = $1::uuid
        AND f.status = 'ready' AND f.archived_at IS NULL AND p.archived_at IS NULL
        AND ($2::uuid[] IS NULL OR f.project_id = ANY($2::uuid[]))`,
    fileId,
    visibleProjectIds === null ? null : `{${visibleProjectIds.join(",")}}`,
  );
  return rows[0]?.text ?? null;
}
