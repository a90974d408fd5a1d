import {
  CommitConflictError,
  type CommitBatch,
  type DocumentHead,
  type DocumentRef,
  type OpStore,
  type Snapshot,
  type StoredOp,
} from "./op-store";

interface MemoryDocument {
  organizationId: string;
  content: string;
  version: number;
  ops: StoredOp[];
  snapshots: Map<number, string>;
}

export interface MemoryOpStore extends OpStore {
  /** Creates a document at version 0 with a version-0 snapshot, as the documents service does. */
  createDocument(ref: DocumentRef, content?: string): void;
}

/**
 * An `OpStore` in a Map, for unit tests and tools. Behaves like the Postgres store, tenant
 * isolation included: a ref with the wrong organization sees nothing. Data is copied in and out
 * so callers cannot change what is "stored".
 */
export function createMemoryOpStore(): MemoryOpStore {
  const documents = new Map<string, MemoryDocument>();

  const find = (ref: DocumentRef): MemoryDocument | undefined => {
    const doc = documents.get(ref.documentId);
    return doc && doc.organizationId === ref.organizationId ? doc : undefined;
  };

  return {
    createDocument(ref, content = "") {
      documents.set(ref.documentId, {
        organizationId: ref.organizationId,
        content,
        version: 0,
        ops: [],
        snapshots: new Map([[0, content]]),
      });
    },

    async loadHead(ref): Promise<DocumentHead | null> {
      const doc = find(ref);
      return doc ? { content: doc.content, version: doc.version } : null;
    },

    async loadOps(ref, afterVersion, upToVersion) {
      const doc = find(ref);
      if (!doc) return [];
      return doc.ops.filter((op) => op.version > afterVersion && op.version <= upToVersion).map(copyOp);
    },

    async commit(ref, batch: CommitBatch) {
      const doc = find(ref);
      if (!doc) throw new CommitConflictError("document_missing", `Document ${ref.documentId} does not exist`);
      if (doc.version !== batch.baseVersion) {
        throw new CommitConflictError(
          "version_moved",
          `Document ${ref.documentId} is at v${doc.version}, the batch starts at v${batch.baseVersion}`,
        );
      }
      const seen = new Set(doc.ops.map((op) => `${op.clientId}:${op.clientSeq}`));
      batch.ops.forEach((op, i) => {
        if (op.version !== batch.baseVersion + i + 1) {
          throw new CommitConflictError("version_moved", `Op ${i} of the batch has version ${op.version}`);
        }
        const id = `${op.clientId}:${op.clientSeq}`;
        if (seen.has(id)) throw new CommitConflictError("duplicate_op", `Op ${id} is already committed`);
        seen.add(id);
      });
      doc.ops.push(...batch.ops.map(copyOp));
      doc.version = batch.baseVersion + batch.ops.length;
      doc.content = batch.content;
    },

    async findOpByClientId(ref, clientId, clientSeq) {
      const op = find(ref)?.ops.find((o) => o.clientId === clientId && o.clientSeq === clientSeq);
      return op ? copyOp(op) : null;
    },

    async lastClientSeqs(ref, clientIds) {
      const wanted = new Set(clientIds);
      const last = new Map<string, number>();
      for (const op of find(ref)?.ops ?? []) {
        if (wanted.has(op.clientId) && op.clientSeq > (last.get(op.clientId) ?? 0)) last.set(op.clientId, op.clientSeq);
      }
      return last;
    },

    async writeSnapshot(ref, snapshot: Snapshot) {
      const doc = find(ref);
      if (!doc) throw new Error(`Document ${ref.documentId} does not exist`);
      if (!doc.snapshots.has(snapshot.version)) doc.snapshots.set(snapshot.version, snapshot.content);
    },

    async loadLatestSnapshot(ref, atOrBelowVersion) {
      const doc = find(ref);
      if (!doc) return null;
      let best: Snapshot | null = null;
      for (const [version, content] of doc.snapshots) {
        if (version <= atOrBelowVersion && (best === null || version > best.version)) best = { version, content };
      }
      return best;
    },
  };
}

function copyOp(op: StoredOp): StoredOp {
  return { ...op, op: structuredClone(op.op) };
}
