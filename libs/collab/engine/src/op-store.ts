import type { TextOp } from "@devflow/collab-ot";

/** Which document, in which organization: every store call runs in that organization's tenant. */
export interface DocumentRef {
  organizationId: string;
  documentId: string;
}

/** The text a document has reached and the number of ops that produced it. */
export interface DocumentHead {
  content: string;
  version: number;
}

/** One committed op: it took the document from `version - 1` to `version`. */
export interface StoredOp {
  version: number;
  op: TextOp;
  /** Together with `clientSeq`, the client op id `${clientId}:${clientSeq}`. */
  clientId: string;
  clientSeq: number;
  userId: string | null;
}

export interface Snapshot {
  version: number;
  content: string;
}

export interface CommitBatch {
  /** The version the document is at before the batch; the first op produces `baseVersion + 1`. */
  baseVersion: number;
  /** Consecutive versions from `baseVersion + 1`. */
  ops: readonly StoredOp[];
  /** The text after the last op, written to the document row in the same transaction. */
  content: string;
}

export type CommitConflictReason = "version_moved" | "duplicate_op" | "document_missing";

/**
 * The batch was not written because the stored document moved on (another writer, a lost
 * ownership) or an op already exists. Nothing of the batch is stored; the caller reloads.
 */
export class CommitConflictError extends Error {
  override readonly name = "CommitConflictError";

  constructor(
    readonly reason: CommitConflictReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Where a document's op log, head and snapshots live. Implementations: Postgres through
 * `withTenant` (production, embedded PGlite in development) and memory (unit tests). Both pass the
 * conformance suite in `./testing`. A document of another organization does not exist for a ref.
 */
export interface OpStore {
  /** The document's current text and version, or null when it does not exist in that organization. */
  loadHead(ref: DocumentRef): Promise<DocumentHead | null>;
  /** The ops producing versions `afterVersion + 1` … `upToVersion`, in order (fewer if the log ends sooner). */
  loadOps(ref: DocumentRef, afterVersion: number, upToVersion: number): Promise<StoredOp[]>;
  /**
   * Appends the ops and moves the document row to the last op's version and `content`, in one
   * transaction (which may also carry other documents' batches; each is a compare-and-set of its
   * own and succeeds or fails alone). Throws `CommitConflictError` when the row is not at
   * `baseVersion`, the document does not exist, the ops' versions do not run on from
   * `baseVersion`, or an op's version or client op id is taken; then nothing of the batch is written.
   */
  commit(ref: DocumentRef, batch: CommitBatch): Promise<void>;
  /** The committed op with this client op id, if any. */
  findOpByClientId(ref: DocumentRef, clientId: string, clientSeq: number): Promise<StoredOp | null>;
  /**
   * The highest sequence number committed for each of `clientIds` in this document, in one query;
   * clients with no committed op are absent from the map.
   */
  lastClientSeqs(ref: DocumentRef, clientIds: readonly string[]): Promise<Map<string, number>>;
  /** Stores the text at a version. Writing a version that already has a snapshot is a no-op. */
  writeSnapshot(ref: DocumentRef, snapshot: Snapshot): Promise<void>;
  /** The newest snapshot at or below `atOrBelowVersion`. */
  loadLatestSnapshot(ref: DocumentRef, atOrBelowVersion: number): Promise<Snapshot | null>;
}
