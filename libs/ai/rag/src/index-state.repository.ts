import type { Tx } from "@devflow/db";

/** A document as the indexer reads it, with what the index last recorded for it. */
export interface IndexableDocument {
  id: string;
  organizationId: string;
  projectId: string;
  title: string;
  content: string;
  version: number;
  updatedAt: Date;
  state: {
    indexedVersion: number | null;
    sourceUpdatedAt: Date | null;
    embeddingModel: string | null;
  } | null;
}

export function findIndexableDocument(tx: Tx, documentId: string): Promise<IndexableDocument | null> {
  return tx.document
    .findUnique({
      where: { id: documentId },
      select: {
        id: true,
        organizationId: true,
        projectId: true,
        title: true,
        content: true,
        version: true,
        updatedAt: true,
        indexState: { select: { indexedVersion: true, sourceUpdatedAt: true, embeddingModel: true } },
      },
    })
    .then((row) => row && { ...row, state: row.indexState });
}

/**
 * Locks the document's index state (creating it) for the rest of the transaction, so two indexers
 * writing the same document take turns, and returns what it records.
 */
export async function lockIndexState(tx: Tx, organizationId: string, documentId: string) {
  await tx.$executeRaw`INSERT INTO document_index_states (organization_id, document_id)
                       VALUES (${organizationId}::uuid, ${documentId}::uuid) ON CONFLICT DO NOTHING`;
  const [row] = await tx.$queryRaw<
    { indexedVersion: number | null; sourceUpdatedAt: Date | null; embeddingModel: string | null }[]
  >`
    SELECT indexed_version AS "indexedVersion", source_updated_at AS "sourceUpdatedAt", embedding_model AS "embeddingModel"
      FROM document_index_states
     WHERE organization_id = ${organizationId}::uuid AND document_id = ${documentId}::uuid
       FOR UPDATE`;
  return row ?? null;
}

export function recordIndexed(
  tx: Tx,
  key: { organizationId: string; documentId: string },
  indexed: { version: number; sourceUpdatedAt: Date; embeddingModel: string },
) {
  return tx.documentIndexState.update({
    where: { organizationId_documentId: key },
    data: {
      indexedVersion: indexed.version,
      sourceUpdatedAt: indexed.sourceUpdatedAt,
      embeddingModel: indexed.embeddingModel,
      indexedAt: new Date(),
      failures: 0,
      lastError: null,
      retryAfter: null,
    },
  });
}

/** Counts a failure and holds the document back for `delayMs` before the loop tries it again. */
export async function recordFailure(
  tx: Tx,
  key: { organizationId: string; documentId: string },
  message: string,
  delayFor: (failures: number) => number,
): Promise<void> {
  const state = await tx.documentIndexState.upsert({
    where: { organizationId_documentId: key },
    create: { ...key, failures: 1, lastError: message },
    update: { failures: { increment: 1 }, lastError: message },
    select: { failures: true },
  });
  await tx.documentIndexState.update({
    where: { organizationId_documentId: key },
    data: { retryAfter: new Date(Date.now() + delayFor(state.failures)) },
  });
}

/**
 * Documents, across organizations, whose index is behind them (another version, another title or
 * project, another embedding model, or never indexed) and that nobody has changed for `settleMs`,
 * oldest change first, skipping those backing off after failures. Archived documents wait: search
 * hides them anyway, and unarchiving counts as a change.
 */
export function listDocumentsToIndex(tx: Tx, options: { settleMs: number; embeddingModel: string; limit: number }) {
  return tx.$queryRaw<{ organizationId: string; documentId: string }[]>`
    SELECT d.organization_id::text AS "organizationId", d.id::text AS "documentId"
      FROM documents d
      LEFT JOIN document_index_states s ON s.organization_id = d.organization_id AND s.document_id = d.id
     WHERE d.archived_at IS NULL
       AND d.updated_at <= now() - make_interval(secs => ${options.settleMs / 1000}::float8)
       AND (s.document_id IS NULL
            OR s.indexed_version IS DISTINCT FROM d.version
            OR s.source_updated_at IS DISTINCT FROM d.updated_at
            OR s.embedding_model IS DISTINCT FROM ${options.embeddingModel})
       AND (s.retry_after IS NULL OR s.retry_after <= now())
     ORDER BY d.updated_at
     LIMIT ${options.limit}::int`;
}
