import { PassThrough, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Storage, type StorageOptions } from "@google-cloud/storage";
import { assertValidBlobKey } from "./blob-key";
import {
  BlobNotFoundError,
  type BlobInfo,
  type BlobStore,
  type PutBlobOptions,
  type PutBlobResult,
} from "./blob-store";
import { meterBody } from "./metered-body";

export interface GcsBlobStoreOptions {
  /** The bucket name, without `gs://`. The store never creates it; Terraform does. */
  bucket: string;
  /** Billing project; unset, the client takes it from the credentials or the environment. */
  projectId?: string;
  /**
   * Another JSON API host, e.g. an emulator or the test fake (`http://127.0.0.1:4443`). The client
   * sends no credentials to a custom endpoint (its `useAuthWithCustomEndpoint` defaults to false).
   */
  apiEndpoint?: string;
  /**
   * A service account key. Unset (the normal case), Application Default Credentials apply:
   * the workload's service account on Cloud Run/GKE, or `GOOGLE_APPLICATION_CREDENTIALS` elsewhere.
   */
  credentials?: StorageOptions["credentials"];
  /**
   * Largest body any `put` accepts when the caller passes no smaller `maxBytes` (default 64 MiB),
   * because the body is held in memory until it is complete (see `createGcsBlobStore`).
   */
  maxBlobBytes?: number;
}

const DEFAULT_MAX_BLOB_BYTES = 64 * 1024 * 1024;

/**
 * A `BlobStore` on a Google Cloud Storage bucket, through the official client's JSON API.
 *
 * `put` reads the body to the end (enforcing `maxBytes` as it goes) before it sends anything, then
 * uploads it in one multipart request (`resumable: false`); the client checks the CRC32C that GCS
 * reports against what it sent, and GCS shows an object only once its upload has completed.
 * Why not stream into `file.createWriteStream()`: destroying that stream does not abort its HTTP
 * request (googleapis/nodejs-storage#2367; checked on 7.22.0 for multipart and resumable uploads,
 * the request stays open with the socket until the server gives up), so an oversized or broken
 * body would leave a hanging upload behind. Buffering costs at most `maxBytes` per upload, and
 * callers already hold uploads in memory to sniff, scan and extract them.
 */
export function createGcsBlobStore({
  bucket,
  projectId,
  apiEndpoint,
  credentials,
  maxBlobBytes = DEFAULT_MAX_BLOB_BYTES,
}: GcsBlobStoreOptions): BlobStore {
  const storage = new Storage({
    ...(projectId ? { projectId } : {}),
    ...(apiEndpoint ? { apiEndpoint } : {}),
    ...(credentials ? { credentials } : {}),
  });
  const objects = storage.bucket(bucket);

  return {
    async put(key: string, body: Readable | Buffer, { contentType, maxBytes }: PutBlobOptions): Promise<PutBlobResult> {
      assertValidBlobKey(key);
      const { source, meter } = meterBody(key, body, Math.min(maxBytes ?? maxBlobBytes, maxBlobBytes));
      const chunks: Buffer[] = [];
      await pipeline(source, meter, async (metered: AsyncIterable<Buffer>) => {
        for await (const chunk of metered) chunks.push(chunk);
      });
      await objects.file(key).save(Buffer.concat(chunks), { resumable: false, contentType });
      return { key, size: meter.size, sha256: meter.sha256() };
    },

    async get(key: string): Promise<Readable> {
      assertValidBlobKey(key);
      const download = objects.file(key).createReadStream();
      const body = new PassThrough();
      // The download only starts once read from, and a 404 only shows up as a stream error: start it,
      // and hand the stream over once the response is in, so a missing blob is a rejected promise.
      const done = pipeline(download, body);
      await new Promise<void>((resolve, reject) => {
        download.once("response", (response: { statusCode?: number; status?: number }) => {
          if ((response.statusCode ?? response.status ?? 200) < 400) resolve();
        });
        done.catch((error: unknown) => reject(isNotFound(error) ? new BlobNotFoundError(key) : error));
      });
      return body;
    },

    async head(key: string): Promise<BlobInfo | null> {
      assertValidBlobKey(key);
      try {
        const [metadata] = await objects.file(key).getMetadata();
        return {
          key,
          size: Number(metadata.size ?? 0),
          contentType: metadata.contentType ?? "application/octet-stream",
        };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    async delete(key: string): Promise<void> {
      assertValidBlobKey(key);
      await objects.file(key).delete({ ignoreNotFound: true });
    },
  };
}

function isNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 404;
}
