import type { Database, TenantContext } from "@devflow/db";
import { chunkMarkdown } from "./chunker";
import type { Embedder } from "./embedder";
import * as repo from "./index-state.repository";
import { createPgvectorStore } from "./pgvector-store";
import type { EmbeddedChunk, VectorStore } from "./vector-store";

export interface DocumentIndexerOptions {
  embedder: Embedder;
  /** Where vectors go; default pgvector in the same database. */
  store?: VectorStore;
  /** How long a failing document waits before its next attempt, by consecutive failures (default: 5 s doubling, at most 10 min). */
  retryDelayMs?: (failures: number) => number;
}

export type IndexOutcome =
  | { status: "indexed"; version: number; chunks: number }
  /** The index already holds this version (and title and project) with this embedding model. */
  | { status: "unchanged"; version: number }
  /** Another indexer stored the same or a newer version while this one was working. */
  | { status: "superseded"; version: number }
  /** No such document in the organization (deleted: its chunks went with it). */
  | { status: "missing" };

export interface IndexPendingResult {
  /** Documents looked at in this batch. */
  attempted: number;
  indexed: number;
  failed: { documentId: string; error: string }[];
}

export type DocumentIndexer = ReturnType<typeof createDocumentIndexer>;

const defaultRetryDelay = (failures: number) => Math.min(5_000 * 2 ** (failures - 1), 600_000);

/**
 * Keeps `text_chunks` in step with documents: cut a document into chunks at its current version,
 * embed them, and replace the document's chunks in one transaction, recording the version indexed.
 */
export function createDocumentIndexer(db: Database, options: DocumentIndexerOptions) {
  const { embedder } = options;
  const store = options.store ?? createPgvectorStore();
  const retryDelay = options.retryDelayMs ?? defaultRetryDelay;
  // What the index state records: the model and, for any store but the default, where the vectors
  // went — so switching to Pinecone (or back) re-indexes every document instead of leaving the new
  // store empty. Chunks themselves record only the model, which is what queries compare.
  const indexedWith = store.name === "pgvector" ? embedder.model : `${embedder.model}@${store.name}`;

  async function indexDocument(ctx: TenantContext, documentId: string): Promise<IndexOutcome> {
    const doc = await db.withTenant(ctx, (tx) => repo.findIndexableDocument(tx, documentId));
    if (!doc) return { status: "missing" };
    if (isCurrent(doc, indexedWith)) return { status: "unchanged", version: doc.version };

    // Chunk and embed outside any transaction: a provider call must not hold a database connection.
    const drafts = chunkMarkdown(doc.content, { title: doc.title });
    const vectors = await embedder.embed(drafts.map((c) => `${c.heading}\n${c.content}`));
    const chunks: EmbeddedChunk[] = drafts.map((draft, i) => ({ ...draft, embedding: usable(vectors[i]) }));

    return db.withTenant(ctx, async (tx) => {
      const state = await repo.lockIndexState(tx, doc.organizationId, doc.id);
      if (state && isNewerOrSame(state, doc, indexedWith)) return { status: "superseded", version: doc.version };
      await store.replaceSource(
        tx,
        {
          organizationId: doc.organizationId,
          projectId: doc.projectId,
          sourceType: "document",
          sourceId: doc.id,
          sourceVersion: doc.version,
        },
        chunks,
        embedder.model,
      );
      await repo.recordIndexed(
        tx,
        { organizationId: doc.organizationId, documentId: doc.id },
        { version: doc.version, sourceUpdatedAt: doc.updatedAt, embeddingModel: indexedWith },
      );
      return { status: "indexed", version: doc.version, chunks: chunks.length };
    });
  }

  return {
    indexDocument,

    /**
     * One pass of the background indexer: across organizations, the documents whose index is behind
     * and that have not changed for `settleMs`, at most `batchSize`, each indexed in its own
     * organization's context. A document that fails is recorded and backed off; the rest go on.
     */
    async indexPending({ settleMs, batchSize }: { settleMs: number; batchSize: number }): Promise<IndexPendingResult> {
      const pending = await db.withSystem("ai-rag: find documents whose search index is behind", (tx) =>
        repo.listDocumentsToIndex(tx, { settleMs, embeddingModel: indexedWith, limit: batchSize }),
      );
      const result: IndexPendingResult = { attempted: pending.length, indexed: 0, failed: [] };
      for (const { organizationId, documentId } of pending) {
        try {
          const outcome = await indexDocument({ organizationId }, documentId);
          if (outcome.status === "indexed") result.indexed++;
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          result.failed.push({ documentId, error: message });
          await db.withTenant({ organizationId }, (tx) =>
            repo.recordFailure(tx, { organizationId, documentId }, message.slice(0, 2_000), retryDelay),
          );
        }
      }
      return result;
    },
  };
}

function isCurrent(doc: repo.IndexableDocument, model: string): boolean {
  return (
    doc.state !== null &&
    doc.state.indexedVersion === doc.version &&
    doc.state.sourceUpdatedAt?.getTime() === doc.updatedAt.getTime() &&
    doc.state.embeddingModel === model
  );
}

/** Whether the stored index was cut from this read of the document or a later one. */
function isNewerOrSame(
  state: { indexedVersion: number | null; sourceUpdatedAt: Date | null; embeddingModel: string | null },
  doc: { version: number; updatedAt: Date },
  model: string,
): boolean {
  if (state.indexedVersion === null || state.sourceUpdatedAt === null || state.embeddingModel !== model) return false;
  if (state.indexedVersion !== doc.version) return state.indexedVersion > doc.version;
  return state.sourceUpdatedAt.getTime() >= doc.updatedAt.getTime();
}

/** A vector with no direction (a chunk without words) cannot be compared by cosine: store none. */
function usable(vector: number[] | undefined): number[] | null {
  return vector && vector.some((v) => v !== 0) ? vector : null;
}
