import { parseOp, type TextOp } from "@devflow/collab-ot";
import { isUniqueViolation, type Database, type Prisma } from "@devflow/db";
import { CommitConflictError, type DocumentRef, type OpStore, type StoredOp } from "./op-store";

const opColumns = { version: true, op: true, clientId: true, clientSeq: true, userId: true } as const;
type OpRow = Prisma.DocumentOperationGetPayload<{ select: typeof opColumns }>;

/**
 * The `OpStore` over Postgres (or embedded PGlite): every call is one `withTenant` transaction in
 * the document's organization, so row-level security hides other organizations' documents. A
 * commit moves `documents.version` with a compare-and-set on the base version before inserting
 * the ops; the unique (document, version) and (document, client, seq) keys back it up.
 */
export function createPostgresOpStore(db: Database): OpStore {
  const inTenant = <T>(ref: DocumentRef, fn: (tx: Prisma.TransactionClient) => Promise<T>) =>
    db.withTenant({ organizationId: ref.organizationId }, fn);

  return {
    loadHead(ref) {
      return inTenant(ref, (tx) =>
        tx.document.findUnique({ where: { id: ref.documentId }, select: { content: true, version: true } }),
      );
    },

    async loadOps(ref, afterVersion, upToVersion) {
      if (upToVersion <= afterVersion) return [];
      const rows = await inTenant(ref, (tx) =>
        tx.documentOperation.findMany({
          where: { documentId: ref.documentId, version: { gt: afterVersion, lte: upToVersion } },
          orderBy: { version: "asc" },
          select: opColumns,
        }),
      );
      return rows.map(toStoredOp);
    },

    async commit(ref, batch) {
      if (batch.ops.length === 0) return;
      const last = batch.ops[batch.ops.length - 1]!;
      try {
        await inTenant(ref, async (tx) => {
          // Taking the row lock first serialises writers; the version check fences out a writer
          // whose view of the document is stale (an instance that lost ownership).
          const moved = await tx.document.updateMany({
            where: { id: ref.documentId, version: batch.baseVersion },
            data: { content: batch.content, version: last.version, updatedById: last.userId },
          });
          if (moved.count !== 1) throw await conflictFor(tx, ref, batch.baseVersion);
          await tx.documentOperation.createMany({
            data: batch.ops.map((op) => ({
              organizationId: ref.organizationId,
              documentId: ref.documentId,
              version: op.version,
              op: op.op as unknown as Prisma.InputJsonValue,
              userId: op.userId,
              clientId: op.clientId,
              clientSeq: op.clientSeq,
            })),
          });
        });
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new CommitConflictError("duplicate_op", `An op of the batch is already in ${ref.documentId}'s log`, {
            cause: error,
          });
        }
        throw error;
      }
    },

    async findOpByClientId(ref, clientId, clientSeq) {
      const row = await inTenant(ref, (tx) =>
        tx.documentOperation.findUnique({
          where: { documentId_clientId_clientSeq: { documentId: ref.documentId, clientId, clientSeq } },
          select: opColumns,
        }),
      );
      return row ? toStoredOp(row) : null;
    },

    async lastClientSeqs(ref, clientIds) {
      if (clientIds.length === 0) return new Map();
      const rows = await inTenant(ref, (tx) =>
        tx.documentOperation.groupBy({
          by: ["clientId"],
          where: { documentId: ref.documentId, clientId: { in: [...clientIds] } },
          _max: { clientSeq: true },
        }),
      );
      return new Map(rows.map((row) => [row.clientId, row._max.clientSeq ?? 0]));
    },

    async writeSnapshot(ref, snapshot) {
      await inTenant(ref, (tx) =>
        tx.documentSnapshot.createMany({
          data: [
            {
              organizationId: ref.organizationId,
              documentId: ref.documentId,
              version: snapshot.version,
              content: snapshot.content,
            },
          ],
          skipDuplicates: true,
        }),
      );
    },

    loadLatestSnapshot(ref, atOrBelowVersion) {
      return inTenant(ref, (tx) =>
        tx.documentSnapshot.findFirst({
          where: { documentId: ref.documentId, version: { lte: atOrBelowVersion } },
          orderBy: { version: "desc" },
          select: { version: true, content: true },
        }),
      );
    },
  };
}

async function conflictFor(
  tx: Prisma.TransactionClient,
  ref: DocumentRef,
  baseVersion: number,
): Promise<CommitConflictError> {
  const row = await tx.document.findUnique({ where: { id: ref.documentId }, select: { version: true } });
  return row
    ? new CommitConflictError(
        "version_moved",
        `Document ${ref.documentId} is at v${row.version}, the batch starts at v${baseVersion}`,
      )
    : new CommitConflictError("document_missing", `Document ${ref.documentId} does not exist`);
}

function toStoredOp(row: OpRow): StoredOp {
  const parsed = parseOp(row.op, { maxSize: Number.MAX_SAFE_INTEGER });
  if (!parsed.ok) throw new Error(`Stored op v${row.version} is not a valid op: ${parsed.error.message}`);
  return {
    version: row.version,
    op: parsed.op as TextOp,
    clientId: row.clientId,
    clientSeq: row.clientSeq,
    userId: row.userId,
  };
}
