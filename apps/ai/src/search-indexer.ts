import type { Database } from "@devflow/db";
import type { Logger } from "@devflow/observability";
import { createDocumentIndexer, startIndexLoop, type IndexLoop, type RetrievalSetup } from "@devflow/ai-rag";
import type { AiConfig } from "@devflow/util-config";

/**
 * The search index's background loop as this app runs it: started once the server listens, stopped
 * before it closes. Disabled with AI_INDEXER=0.
 */
export function createSearchIndexer(deps: { config: AiConfig; db: Database; logger: Logger } & RetrievalSetup) {
  const { config, db, logger, embedder, store } = deps;
  const indexer = createDocumentIndexer(db, { embedder, store });
  let loop: IndexLoop | undefined;
  return {
    start() {
      if (!config.AI_INDEXER || loop) return;
      loop = startIndexLoop({
        indexPending: () =>
          indexer.indexPending({ settleMs: config.AI_INDEXER_SETTLE_MS, batchSize: config.AI_INDEXER_BATCH_SIZE }),
        intervalMs: config.AI_INDEXER_INTERVAL_MS,
        onPass: ({ attempted, indexed, failed }) => {
          logger.info({ attempted, indexed, failed: failed.length }, "search index: pass");
          for (const f of failed)
            logger.warn({ documentId: f.documentId, err: f.error }, "search index: document failed");
        },
        onError: (error, failures) => logger.error({ err: error, failures }, "search index: pass failed, backing off"),
      });
      logger.info({ model: embedder.model, settleMs: config.AI_INDEXER_SETTLE_MS }, "search index: loop started");
    },
    async stop() {
      await loop?.stop();
      loop = undefined;
    },
  };
}
