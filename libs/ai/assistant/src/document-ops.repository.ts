import type { Tx } from "@devflow/db";

/** Up to `take` committed ops producing versions above `afterVersion`, up to `upToVersion`, oldest first. */
export function listOpsAfter(tx: Tx, documentId: string, afterVersion: number, upToVersion: number, take: number) {
  return tx.documentOperation.findMany({
    where: { documentId, version: { gt: afterVersion, lte: upToVersion } },
    orderBy: { version: "asc" },
    take,
    select: { version: true, op: true },
  });
}
