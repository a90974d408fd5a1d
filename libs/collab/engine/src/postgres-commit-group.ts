import { isUniqueViolation, type Database } from "@devflow/db";
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
 * Commits several documents' batches of one organization in one call of the SQL function
 * `collab_commit_group` (migration `collab_commit_group`), a statement of its own: one round trip,
 * durable when it returns, with the tenant entered inside the call so row-level security binds it
 * as it binds withTenant. Each document is a compare-and-set of its own: a document not at its
 * batch's base version is left as it is and gets its conflict (the call answers with its version)
 * while the other documents of the group commit. A repeated client op id, or a version already in
 * the log, trips the unique keys on (document, client, seq) and (document, version), which aborts
 * the whole call; the group is then retried one document at a time to pin it on its batch.
 */
export function createPostgresCommitGroup(db: Database): RunGroup<CommitRequest, void> {
  const commitGroup = async (organizationId: string, requests: readonly CommitRequest[]): Promise<Refusal[]> => {
    const outcomes: Refusal[] = requests.map((r) => checkBatch(r));
    // An empty batch has nothing to write and needs no round trip.
    const valid = requests.filter((r, i) => outcomes[i] === null && r.batch.ops.length > 0);
    if (valid.length === 0) return outcomes;
    let conflicts: Map<CommitRequest, CommitConflictError>;
    try {
      conflicts = await commitCall(db, organizationId, valid);
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

/**
 * A unique-key violation: as node-postgres reports it (SQLSTATE 23505, the commit's own call), or
 * as Prisma does for a model query (P2002) or a raw one (P2010).
 */
function isUniqueKeyError(error: unknown): boolean {
  if (isUniqueViolation(error) || (error as { code?: unknown } | null)?.code === "23505") return true;
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

/** One row of `collab_commit_group`'s answer: a document that moved, or a refused one it can see. */
interface CommitRow {
  document: string;
  committed: boolean;
  head_version: number;
}

/**
 * The group's call. The batches and their ops go in as two JSON parameters; the function updates
 * the documents in id order, one primary-key probe each, and answers for every document it saw.
 * Returns the conflict of each refused batch: its document moved on, or is not there (for this
 * organization).
 */
async function commitCall(
  db: Database,
  organizationId: string,
  requests: readonly CommitRequest[],
): Promise<Map<CommitRequest, CommitConflictError>> {
  const batches = requests.map(({ ref, batch }) => {
    const last = batch.ops[batch.ops.length - 1]!;
    return {
      document_id: ref.documentId,
      base_version: batch.baseVersion,
      version: last.version,
      content: batch.content,
      updated_by_id: last.userId,
    };
  });
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
  const rows = await db.callTenantFunctionDirect<CommitRow>({ organizationId }, "collab_commit_group", [
    JSON.stringify(batches),
    JSON.stringify(ops),
  ]);
  const answers = new Map(rows.map((row) => [row.document.toLowerCase(), row]));
  const conflicts = new Map<CommitRequest, CommitConflictError>();
  for (const request of requests) {
    const { ref, batch } = request;
    const answer = answers.get(ref.documentId.toLowerCase());
    if (answer?.committed) continue;
    conflicts.set(
      request,
      answer === undefined
        ? new CommitConflictError("document_missing", `Document ${ref.documentId} does not exist`)
        : new CommitConflictError(
            "version_moved",
            `Document ${ref.documentId} is at v${answer.head_version}, the batch starts at v${batch.baseVersion}`,
          ),
    );
  }
  return conflicts;
}
