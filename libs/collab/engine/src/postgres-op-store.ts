import { parseOp, type TextOp } from "@devflow/collab-ot";
import { isForeignKeyViolation, type Database, type Prisma } from "@devflow/db";
import type { DocumentRef, OpStore, StoredOp } from "./op-store";
import { createPostgresClientSeqGroup } from "./postgres-client-seq-group";
import { createPostgresCommitGroup } from "./postgres-commit-group";
import { createTenantBatcher } from "./tenant-batcher";

const opColumns = { version: true, op: true, clientId: true, clientSeq: true, userId: true } as const;
type OpRow = Prisma.DocumentOperationGetPayload<{ select: typeof opColumns }>;

export interface PostgresOpStoreOptions {
  /**
   * Commits in flight at once; while they are all busy, the batches of other documents queue
   * and then commit together (`createTenantBatcher`). Keep it below the pool size so joins and
   * reads still find a connection.
   */
  maxConcurrentCommits?: number;
  /** Most documents whose batches share one commit. */
  maxDocumentsPerCommit?: number;
  /** Most ops in one commit (a single larger batch still goes, alone). */
  maxOpsPerCommit?: number;
  /** Client look-ups (`lastClientSeqs`) in flight at once; more queue and share a query. */
  maxConcurrentLookups?: number;
}

/**
 * Four of the default pool's ten connections. With `bench:collab` on a shared 2-core machine,
 * eight commit slots cost more CPU per op and doubled the 200-document p50; two and four were
 * within the noise of each other.
 */
export const DEFAULT_POSTGRES_OP_STORE_OPTIONS: Required<PostgresOpStoreOptions> = {
  maxConcurrentCommits: 4,
  maxDocumentsPerCommit: 64,
  maxOpsPerCommit: 1_024,
  maxConcurrentLookups: 2,
};

/**
 * The `OpStore` over Postgres (or embedded PGlite): every call runs in the document's
 * organization, so row-level security hides other organizations' documents. Reads are one
 * `withTenant` transaction each. The two calls on the hot path are one statement each, a SQL
 * function that enters the organization itself, sent straight to the pool: a commit moves
 * `documents.version` with a compare-and-set on the base version and inserts the ops
 * (`postgres-commit-group.ts`); a client look-up, before a new client's first op, reads its
 * highest committed sequence (`postgres-client-seq-group.ts`). When many documents commit at once,
 * their batches share a call, and so do their look-ups (`tenant-batcher.ts`).
 */
export function createPostgresOpStore(db: Database, options: PostgresOpStoreOptions = {}): OpStore {
  const limits = { ...DEFAULT_POSTGRES_OP_STORE_OPTIONS, ...options };
  const commits = createTenantBatcher(createPostgresCommitGroup(db), {
    maxConcurrent: limits.maxConcurrentCommits,
    maxItems: limits.maxDocumentsPerCommit,
    maxWeight: limits.maxOpsPerCommit,
    weigh: (request) => request.batch.ops.length,
    // The second batch of a document builds on the first: it cannot share its statement.
    onePerDocument: true,
  });
  const lookups = createTenantBatcher(createPostgresClientSeqGroup(db), {
    maxConcurrent: limits.maxConcurrentLookups,
    maxItems: 256,
  });
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

    commit(ref, batch) {
      if (batch.ops.length === 0) return Promise.resolve();
      return commits.run({ ref, batch });
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

    lastClientSeqs(ref, clientIds) {
      if (clientIds.length === 0) return Promise.resolve(new Map());
      return lookups.run({ ref, clientIds });
    },

    async writeSnapshot(ref, snapshot) {
      try {
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
      } catch (error) {
        // Snapshots are written in the background; the document may have been deleted meanwhile,
        // and then there is nothing left to compact.
        if (!isForeignKeyViolation(error)) throw error;
      }
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
