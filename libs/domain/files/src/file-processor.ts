import { buffer } from "node:stream/consumers";
import type { Database } from "@devflow/db";
import { chunkMarkdown, createPgvectorStore, type Embedder, type VectorStore } from "@devflow/ai-rag";
import type { FileKind } from "@devflow/contracts";
import { applyOnce, type EventHandler } from "@devflow/events";
import {
  extractText,
  sniffContentType,
  UnreadableDocumentError,
  VirusScanError,
  type VirusScanner,
} from "@devflow/extract";
import type { Logger } from "@devflow/observability";
import { BlobNotFoundError, type BlobStore } from "@devflow/storage";
import * as repo from "./files.repository";

export const FILE_PROCESSOR = "file-processor";

/** The most text kept from one file: beyond it the rest is not searchable (and the file says so). */
export const EXTRACTED_TEXT_MAX_CHARS = 2_000_000;

export interface FileProcessorOptions {
  blobs: BlobStore;
  embedder: Embedder;
  /** Where vectors go; default pgvector in the same database. */
  store?: VectorStore;
  /** Scans the bytes before anything reads them; null when no ClamAV daemon is configured. */
  scanner?: VirusScanner | null;
  logger?: Logger;
}

/** A failure that will not go away by trying again: the file is marked failed, with the reason. */
class PermanentFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The `file.uploaded` handler: scan (when a scanner is configured), extract the text, cut it into
 * passages, embed them and store them as the file's chunks — recording the stage and progress as
 * it goes, so the uploader watches it happen. A file that can never be read (corrupt, encrypted,
 * infected, gone) is marked failed with a reason people understand and is not retried; anything
 * else (the store or a provider briefly down) is thrown, so the bus retries it with backoff and,
 * in the end, shows it to admins as a failed job. Chunks and the ready mark commit together, once.
 */
export function createFileProcessor(db: Database, options: FileProcessorOptions): EventHandler<"file.uploaded"> {
  const store = options.store ?? createPgvectorStore();
  const { blobs, embedder, logger } = options;
  const scanner = options.scanner ?? null;

  return {
    name: FILE_PROCESSOR,
    type: "file.uploaded",
    async handle(event) {
      const ctx = { organizationId: event.organizationId };
      const { fileId } = event.data;
      const file = await db.withTenant(ctx, (tx) => repo.findFile(tx, fileId));
      if (!file || file.archivedAt || file.status === "ready" || !file.projectId) return;
      const step = (stage: "scanning" | "extracting" | "indexing", progress: number) =>
        db.withTenant(ctx, (tx) => repo.updateProcessing(tx, fileId, { status: "processing", stage, progress }));

      try {
        const bytes = await readBlob(blobs, file.storageKey);
        if (scanner) {
          await step("scanning", 10);
          const verdict = await scanner.scan(bytes).catch((error: unknown) => {
            // clamd refused the file itself (its size limit, say): trying again changes nothing.
            if (error instanceof VirusScanError && !error.retryable) {
              throw new PermanentFailure("scan_failed", `The virus scanner could not check this file: ${error.message}`);
            }
            throw error;
          });
          if (!verdict.clean) {
            // Nobody should download it either.
            await blobs.delete(file.storageKey);
            throw new PermanentFailure("infected", `The virus scanner found ${verdict.signature}; the file was deleted`);
          }
        }

        await step("extracting", 30);
        // The upload judged the type from the first bytes; the whole file settles it (a zip that is
        // not a Word document, say).
        const sniffed = await sniffContentType(bytes, file.name);
        if (sniffed?.kind !== file.kind) {
          await blobs.delete(file.storageKey);
          throw new PermanentFailure(
            "unsupported_type",
            "This file is not a PDF, Word, Markdown or text file after all; only those can be read",
          );
        }
        const extracted = await extractOrExplain(bytes, file.kind as FileKind);
        const text = extracted.text.slice(0, EXTRACTED_TEXT_MAX_CHARS);
        if (!text.trim()) {
          throw new PermanentFailure(
            "no_text",
            file.kind === "pdf"
              ? "This PDF has no text to read (it may be scanned images); nothing could be indexed"
              : "The file has no text to index",
          );
        }

        await step("indexing", 60);
        const drafts = chunkMarkdown(text, { title: file.name });
        // Embedding may call a provider: outside any transaction.
        const vectors = await embedder.embed(drafts.map((c) => `${c.heading}\n${c.content}`));
        const chunks = drafts.map((draft, i) => ({ ...draft, embedding: usable(vectors[i]) }));

        await applyOnce(db, FILE_PROCESSOR, event, async (tx) => {
          await store.replaceSource(
            tx,
            {
              organizationId: event.organizationId,
              projectId: file.projectId,
              sourceType: "file",
              sourceId: file.id,
              sourceVersion: 1,
            },
            chunks,
            embedder.model,
          );
          await repo.markReady(tx, fileId, {
            extractedText: text,
            pageCount: extracted.pages ?? null,
            chunkCount: chunks.length,
          });
        });
        logger?.info({ fileId, chunks: chunks.length, kind: file.kind }, "file indexed");
      } catch (error) {
        if (error instanceof PermanentFailure) {
          await db.withTenant(ctx, (tx) =>
            repo.updateProcessing(tx, fileId, { status: "failed", errorCode: error.code, error: error.message }),
          );
          logger?.warn({ fileId, code: error.code }, "file could not be processed");
          return;
        }
        const message = error instanceof Error ? error.message : String(error);
        await db
          .withTenant(ctx, (tx) =>
            repo.updateProcessing(tx, fileId, {
              status: "processing",
              stage: "extracting",
              progress: 0,
              errorCode: "retrying",
              error: `Processing hit a temporary problem and will be retried: ${message.slice(0, 300)}`,
            }),
          )
          .catch(() => undefined);
        throw error;
      }
    },
  };
}

async function readBlob(blobs: BlobStore, key: string): Promise<Buffer> {
  try {
    return await buffer(await blobs.get(key));
  } catch (error) {
    if (error instanceof BlobNotFoundError) {
      throw new PermanentFailure("missing_content", "The file's content is missing from storage; upload it again");
    }
    throw error;
  }
}

async function extractOrExplain(bytes: Buffer, kind: FileKind) {
  try {
    return await extractText(bytes, kind);
  } catch (error) {
    if (error instanceof UnreadableDocumentError) throw new PermanentFailure("unreadable_document", error.message);
    throw error;
  }
}

/** A vector with no direction (a chunk without words) cannot be compared by cosine: store none. */
function usable(vector: number[] | undefined): number[] | null {
  return vector && vector.some((v) => v !== 0) ? vector : null;
}
