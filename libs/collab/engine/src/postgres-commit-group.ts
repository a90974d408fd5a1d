import { isUniqueViolation, type Database, type Prisma } from "@devflow/db";
import { CommitConflictError, type CommitBatch, type DocumentRef } from "./op-store";
import type { GroupOutcome, RunGroup } from "./tenant-batcher";

/** One document's batch, waiting to be committed with others of its organization. */
export interface CommitRequest {
  ref: DocumentRef;
  batch: CommitBatch;
}

type Refusal = CommitConflictError | null;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Commits several documents' batches in one `withTenant` transaction around one statement, so a
 * group costs the round trips of a single batch: BEGIN, the tenant settings, the statement,
 * COMMIT. Each document is a compare-and-set of its own: a document not at its batch's base
 * version is left as it is and gets its conflict (read in the same transaction, only then) while
 * the other documents of the group commit. A repeated client op id, or a version already in the
 * log, trips the unique keys on (document, client, seq) and (document, version), which aborts the
 * whole statement; the group is then retried one document at a time to pin it on its batch.
 */
export function createPostgresCommitGroup(db: Database): RunGroup<CommitRequest, void> {
  const commitGroup = async (organizationId: string, requests: readonly CommitRequest[]): Promise<Refusal[]> => {
    const outcomes: Refusal[] = requests.map((r) => checkBatch(r));
    // An empty batch has nothing to write and needs no transaction.
    const valid = requests.filter((r, i) => outcomes[i] === null && r.batch.ops.length > 0);
    if (valid.length === 0) return outcomes;
    let conflicts: Map<CommitRequest, CommitConflictError>;
    try {
      conflicts = await db.withTenant({ organizationId }, async (tx) => {
        const moved = new Set(await commitStatement(tx, valid));
        return conflictsOf(
          tx,
          valid.filter((r) => !moved.has(r.ref.documentId.toLowerCase())),
        );
      });
    } catch (error) {
      if (!isUniqueKeyError(error)) throw error;
      if (valid.length === 1) {
        const documentId = valid[0]!.ref.documentId;
        const conflict = new CommitConflictError(
          "duplicate_op",
          `An op of the batch is already in ${documentId}'s log`,
          {
            cause: error,
          },
        );
        return outcomes.map((o, i) => o ?? (requests[i] === valid[0] ? conflict : null));
      }
      const alone = new Map(
        await Promise.all(valid.map(async (r) => [r, (await commitGroup(organizationId, [r]))[0]!] as const)),
      );
      return outcomes.map((o, i) => o ?? alone.get(requests[i]!) ?? null);
    }
    return outcomes.map((o, i) => o ?? conflicts.get(requests[i]!) ?? null);
  };
  return async (organizationId, requests) =>
    (await commitGroup(organizationId, requests)).map((refusal): GroupOutcome<void> =>
      refusal ? { ok: false, error: refusal } : { ok: true, value: undefined },
    );
}

/** A unique-key violation, as Prisma reports it for a model query (P2002) or a raw one (P2010). */
function isUniqueKeyError(error: unknown): boolean {
  if (isUniqueViolation(error)) return true;
  const cause = (
    error as { meta?: { driverAdapterError?: { cause?: { kind?: string; originalCode?: string; code?: string } } } }
  )?.meta?.driverAdapterError?.cause;
  return cause?.kind === "UniqueConstraintViolation" || cause?.originalCode === "23505" || cause?.code === "23505";
}

/** The refusal a batch earns before reaching the database, the same one the memory store gives. */
function checkBatch({ ref, batch }: CommitRequest): CommitConflictError | null {
  if (!UUID.test(ref.documentId)) {
    return new CommitConflictError("document_missing", `Document ${ref.documentId} does not exist`);
  }
  const seen = new Set<string>();
  for (const [i, op] of batch.ops.entries()) {
    if (op.version !== batch.baseVersion + i + 1) {
      return new CommitConflictError("version_moved", `Op ${i} of the batch has version ${op.version}`);
    }
    const id = `${op.clientId}:${op.clientSeq}`;
    if (seen.has(id)) return new CommitConflictError("duplicate_op", `Op ${id} appears twice in the batch`);
    seen.add(id);
  }
  return null;
}

/** Why each refused batch was refused: its document moved on, or is not there (for this organization). */
async function conflictsOf(
  tx: Prisma.TransactionClient,
  refused: CommitRequest[],
): Promise<Map<CommitRequest, CommitConflictError>> {
  if (refused.length === 0) return new Map();
  const rows = await tx.document.findMany({
    where: { id: { in: refused.map((r) => r.ref.documentId) } },
    select: { id: true, version: true },
  });
  const versions = new Map(rows.map((row) => [row.id.toLowerCase(), row.version]));
  return new Map(
    refused.map(({ ref, batch }, i) => {
      const version = versions.get(ref.documentId.toLowerCase());
      const conflict =
        version === undefined
          ? new CommitConflictError("document_missing", `Document ${ref.documentId} does not exist`)
          : new CommitConflictError(
              "version_moved",
              `Document ${ref.documentId} is at v${version}, the batch starts at v${batch.baseVersion}`,
            );
      return [refused[i]!, conflict];
    }),
  );
}

/**
 * One statement for the group. The documents go in as a VALUES list, so the planner knows how
 * many there are and takes the primary key for each (with a set-returning function it guesses
 * 100 rows and may scan the table); the ops, up to `maxOpsPerCommit` of them, go in as one JSON
 * parameter unpacked by `jsonb_to_recordset`. Only placeholders are spliced into the text, never
 * values. Returns the ids of the documents that moved.
 */
async function commitStatement(tx: Prisma.TransactionClient, requests: readonly CommitRequest[]): Promise<string[]> {
  const ops = requests.flatMap(({ ref, batch }) =>
    batch.ops.map((op) => ({
      document_id: ref.documentId,
      version: op.version,
      op: op.op,
      user_id: op.userId,
      client_id: op.clientId,
      client_seq: op.clientSeq,
    })),
  );
  const params: unknown[] = [JSON.stringify(ops)];
  // The update walks the VALUES list in order (a nested loop over the primary key), so sorting
  // it locks rows in one order in every group: two groups sharing documents (a stale owner and
  // the new one) then wait for each other rather than deadlock.
  const key = (r: CommitRequest) => r.ref.documentId.toLowerCase();
  const byDocument = [...requests].sort((a, b) => (key(a) < key(b) ? -1 : 1));
  const values = byDocument.map(({ ref, batch }) => {
    const last = batch.ops[batch.ops.length - 1]!;
    const n = params.push(ref.documentId, batch.baseVersion, last.version, batch.content, last.userId);
    return `($${n - 4}::uuid, $${n - 3}::int, $${n - 2}::int, $${n - 1}::text, $${n}::uuid)`;
  });
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `WITH batch (document_id, base_version, version, content, updated_by_id) AS (
       VALUES ${values.join(", ")}
     ), ops AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS o(document_id uuid, version int, op jsonb, user_id uuid, client_id text, client_seq int)
     ), moved AS (
       UPDATE documents d
       SET content = b.content, version = b.version, updated_by_id = b.updated_by_id, updated_at = now()
       FROM batch b
       WHERE d.id = b.document_id AND d.version = b.base_version
       RETURNING d.id, d.organization_id
     ), inserted AS (
       INSERT INTO document_operations (organization_id, document_id, version, op, user_id, client_id, client_seq)
       SELECT m.organization_id, o.document_id, o.version, o.op, o.user_id, o.client_id, o.client_seq
       FROM ops o JOIN moved m ON m.id = o.document_id
     )
     SELECT id::text AS id FROM moved`,
    ...params,
  );
  return rows.map((row) => row.id);
}
