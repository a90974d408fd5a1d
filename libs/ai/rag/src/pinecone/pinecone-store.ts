import { randomUUID } from "node:crypto";
import type { Tx } from "@devflow/db";
import { Pinecone, type PineconeRecord } from "@pinecone-database/pinecone";
import { AppError } from "@devflow/util-core";
import { canMatch, replaceSourceChunks } from "../chunks.repository";
import { EMBEDDING_DIMENSIONS } from "../embedder";
import { toProviderAppError } from "../embedders/provider-errors";
import type { ChunkSource, EmbeddedChunk, NearestQuery, VectorStore } from "../vector-store";
import {
  currentOrganizationId,
  keepRetrievableChunks,
  listSourceChunkIds,
  loadSearchScope,
} from "./pinecone-chunks.repository";
import { describePineconeFailure, timedFetch } from "./pinecone-transport";

export interface PineconeStoreOptions {
  /** Pinecone API key (sent as the Api-Key header only). */
  apiKey: string;
  /**
   * The index's data-plane host, as `describe_index` reports it (my-index-abc123.svc.us-east1-aws.pinecone.io).
   * https:// is assumed without a scheme; an explicit http:// URL is for a local stand-in only.
   */
  indexHost: string;
  /** Per request, in milliseconds (default 5 s). Upserts run inside the indexer's transaction; keep this small. */
  timeoutMs?: number;
  /** Retries of 5xx answers by the SDK, with backoff (default 1). */
  maxRetries?: number;
  /** The index's dimension (default 384, what every embedder here produces). */
  dimension?: number;
}

/** The Pinecone VectorStore, plus the clean-ups Postgres cascades cannot reach. */
export interface PineconeStore extends VectorStore {
  /** Deletes a source's vectors (call when the source is deleted; its text rows go with it in Postgres). */
  removeSource(source: Pick<ChunkSource, "organizationId" | "sourceType" | "sourceId">): Promise<void>;
  /** Deletes every vector of an organization (its namespace), when the organization is deleted. */
  removeOrganization(organizationId: string): Promise<void>;
}

/** Every organization's vectors live in their own namespace. */
export function pineconeNamespace(organizationId: string): string {
  return `org-${organizationId}`;
}

// Pinecone's documented operation limits: 1,000 records / 2 MB per upsert (100 × 384 floats is
// ~0.4 MB), 10,000 values in an $in list, topK ≤ 10,000.
const UPSERT_BATCH = 100;
const MAX_FILTER_VALUES = 10_000;
const MAX_TOP_K = 10_000;
// Archived documents and files are excluded by id; past this many, the oldest archived ones may
// still take places in the candidates (and are dropped by the Postgres check) — fewer results,
// never a leak.
const MAX_EXCLUDED_ARCHIVED = 1_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Vectors in a Pinecone index, one namespace per organization (`org-<id>`); chunk text stays in
 * Postgres `text_chunks` (with a null embedding) for full-text ranking, citations and RLS.
 *
 * Consistency. Postgres is the record; Pinecone is an index of it that cannot join a Postgres
 * transaction, so the two are kept consistent by ordering and by checking on read:
 *  1. replaceSource writes the chunk rows first, inside the caller's transaction (RLS checks the
 *     organization; a failure leaves Pinecone untouched), reads back the ids Postgres gave them,
 *     upserts the new vectors under those ids tagged with a fresh `indexRun`, and only then deletes
 *     the source's vectors from any other run (by metadata filter).
 *  2. nearest only returns ids whose rows the reader's own transaction can see (live, visible,
 *     same model). Until the writer commits, readers see the old rows; the new vectors' ids are
 *     unknown to them and dropped, and the old vectors answer until the delete lands. After the
 *     commit, new rows and new vectors match.
 *  3. If the transaction rolls back after the Pinecone calls, the old rows stay with no vectors
 *     (the text arm still finds them) and the new vectors are orphans no row names. The index
 *     state was not recorded, so the index loop retries the document, and that run's delete
 *     (every other `indexRun` of the source) removes the orphans.
 * Not chosen: an outbox that replays Pinecone writes after commit would keep network calls out of
 * the transaction, but needs an after-commit hook the VectorStore interface does not have and a
 * second moving part. The price here: a Pinecone call holds the transaction open, bounded by
 * `timeoutMs` (default 5 s, one retry) against the 30 s transaction timeout.
 */
export function createPineconeStore(options: PineconeStoreOptions): PineconeStore {
  const { apiKey } = options;
  if (!apiKey) throw notConfigured("The Pinecone vector store needs an API key");
  if (!options.indexHost?.trim())
    throw notConfigured("The Pinecone vector store needs the index host (from describe_index)");
  const dimension = options.dimension ?? EMBEDDING_DIMENSIONS;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const client = new Pinecone({ apiKey, maxRetries: options.maxRetries ?? 1, fetchApi: timedFetch(timeoutMs) });
  const index = client.index({ host: options.indexHost.trim() });

  async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toProviderAppError(describePineconeFailure(error), { provider: "Pinecone", operation, secrets: [apiKey] });
    }
  }

  function checkDimension(vector: readonly number[], what: string): void {
    if (vector.length !== dimension) {
      throw new Error(`${what} has ${vector.length} dimensions; the Pinecone index holds ${dimension}`);
    }
  }

  return {
    name: "pinecone",

    async replaceSource(tx: Tx, source: ChunkSource, chunks: readonly EmbeddedChunk[], model: string) {
      for (const chunk of chunks) {
        if (!chunk.embedding) continue;
        checkDimension(chunk.embedding, `Chunk ${chunk.index} of ${source.sourceType} ${source.sourceId}`);
      }
      await requireOrganization(tx, source.organizationId);
      // The same rows the pgvector store writes, through the same repository function, minus the
      // vectors: text, offsets and model stay in Postgres; the embedding column stays null.
      await replaceSourceChunks(
        tx,
        source,
        chunks.map((chunk) => ({ ...chunk, embedding: null })),
        model,
      );
      const ids = await listSourceChunkIds(tx, source);
      const run = randomUUID();
      const records: PineconeRecord[] = chunks.flatMap((chunk) => {
        if (!chunk.embedding) return [];
        const id = ids.get(chunk.index);
        if (!id) {
          throw new Error(`Chunk ${chunk.index} of ${source.sourceType} ${source.sourceId} has no row after the write`);
        }
        return [{ id, values: chunk.embedding, metadata: vectorMetadata(source, model, run) }];
      });
      const namespace = pineconeNamespace(source.organizationId);
      for (let i = 0; i < records.length; i += UPSERT_BATCH) {
        const batch = records.slice(i, i + UPSERT_BATCH);
        await call("upsert", () => index.upsert({ records: batch, namespace }));
      }
      await call("delete", () =>
        index.deleteMany({
          namespace,
          filter: {
            $and: [
              { sourceType: { $eq: source.sourceType } },
              { sourceId: { $eq: source.sourceId } },
              { indexRun: { $ne: run } },
            ],
          },
        }),
      );
    },

    async nearest(tx: Tx, query: NearestQuery) {
      if (!canMatch(query.filter) || query.vector.every((v) => v === 0)) return [];
      checkDimension(query.vector, "The query vector");
      const organizationId = await requireOrganization(tx);
      const scope = await loadSearchScope(tx, query.filter, {
        projects: MAX_FILTER_VALUES + 1,
        archivedSources: MAX_EXCLUDED_ARCHIVED,
      });
      if (scope.projectIds.length === 0) return [];
      if (scope.projectIds.length > MAX_FILTER_VALUES) {
        throw new AppError(
          "internal",
          `Pinecone filters take at most ${MAX_FILTER_VALUES} projects; this search allows more`,
        );
      }
      // Everything that decides what the reader may see is in the filter, which Pinecone applies
      // while searching (single-stage filtering): a hidden vector is never ranked, so it can
      // neither be returned nor push a visible one out of the top K. The project list already
      // reflects `projectId`, visibility and archiving (worked out in Postgres).
      const filter = {
        $and: [
          { organizationId: { $eq: organizationId } },
          { model: { $eq: query.model } },
          { sourceType: { $in: [...query.filter.sourceTypes] } },
          { projectId: { $in: scope.projectIds } },
          ...(scope.archivedSourceIds.length > 0 ? [{ sourceId: { $nin: scope.archivedSourceIds } }] : []),
        ],
      };
      const response = await call("query", () =>
        index.query({
          namespace: pineconeNamespace(organizationId),
          vector: query.vector,
          topK: Math.min(query.limit, MAX_TOP_K),
          filter,
          includeMetadata: false,
          includeValues: false,
        }),
      );
      const ranked = response.matches
        .filter((m) => m.score !== undefined && m.score >= query.minSimilarity && UUID.test(m.id))
        .map((m) => m.id);
      const retrievable = await keepRetrievableChunks(tx, ranked, query.filter, query.model);
      return ranked.filter((id) => retrievable.has(id));
    },

    async removeSource(source) {
      await call("delete", () =>
        index.deleteMany({
          namespace: pineconeNamespace(source.organizationId),
          filter: { $and: [{ sourceType: { $eq: source.sourceType } }, { sourceId: { $eq: source.sourceId } }] },
        }),
      );
    },

    async removeOrganization(organizationId) {
      await call("delete", () => index.deleteAll({ namespace: pineconeNamespace(organizationId) }));
    },
  };
}

/**
 * Metadata stored with each vector. Pinecone has no null: a source without a project leaves the
 * field out (and so never matches a project filter). `indexRun` tells this write's vectors from
 * older (or orphaned) ones of the same source.
 */
function vectorMetadata(source: ChunkSource, model: string, run: string): Record<string, string | number> {
  return {
    organizationId: source.organizationId,
    ...(source.projectId !== null && { projectId: source.projectId }),
    sourceType: source.sourceType,
    sourceId: source.sourceId,
    sourceVersion: source.sourceVersion,
    model,
    indexRun: run,
  };
}

/** The transaction's organization; when `expected` is given it must be that one. */
async function requireOrganization(tx: Tx, expected?: string): Promise<string> {
  const organizationId = await currentOrganizationId(tx);
  if (!organizationId) {
    throw new AppError("internal", "The Pinecone vector store must be used inside withTenant (no organization is set)");
  }
  if (expected !== undefined && expected !== organizationId) {
    throw new AppError(
      "tenant_mismatch",
      `Chunks of organization ${expected} cannot be written in organization ${organizationId}'s transaction`,
    );
  }
  return organizationId;
}

function notConfigured(message: string): AppError {
  return new AppError("ai_not_configured", message, { report: true, retryable: false });
}
