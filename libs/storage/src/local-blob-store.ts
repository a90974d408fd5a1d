import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, readFile, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { assertValidBlobKey } from "./blob-key";
import {
  BlobNotFoundError,
  type BlobInfo,
  type BlobStore,
  type PutBlobOptions,
  type PutBlobResult,
} from "./blob-store";
import { meterBody } from "./metered-body";

export interface LocalBlobStoreOptions {
  /** Root folder; created on first write. Blobs live at `<directory>/<key>`, so keys become nested folders. */
  directory: string;
}

/**
 * Kept in a mirror tree under `.meta/` (which no valid key can reach) because a file has no content
 * type. The mirror has exactly the blob tree's shape, so it cannot collide where the blob tree does not.
 */
interface BlobMeta {
  contentType: string;
}

/** Keys never start a segment with `.` (blob-key.ts), so these folders cannot collide with a blob. */
const TEMP_DIR = ".tmp";
const META_DIR = ".meta";

/**
 * A `BlobStore` on the local filesystem, for development, tests and single-machine installs with
 * a persistent volume. Each `put` streams into `<directory>/.tmp/`, fsyncs, then renames into
 * place: rename is atomic within one filesystem, so readers never see a half-written blob, and
 * fsyncing the file and then its folder makes the blob survive a crash once `put` has returned.
 *
 * The content type is stored at `<directory>/.meta/<key>` (JSON), written before the blob is renamed
 * into place. Two concurrent `put`s of one key may leave the content type of one with the bytes of
 * the other; callers that need better use a fresh key per upload (the usual `<org>/<uuid>` shape).
 * A key cannot be both a blob and a folder of other blobs here (`a` and `a/b`), unlike in GCS.
 */
export function createLocalBlobStore({ directory }: LocalBlobStoreOptions): BlobStore {
  const root = resolve(directory);
  const blobPath = (key: string) => join(root, key);
  const metaPath = (key: string) => join(root, META_DIR, key);

  return {
    async put(key: string, body: Readable | Buffer, { contentType, maxBytes }: PutBlobOptions): Promise<PutBlobResult> {
      assertValidBlobKey(key);
      const { source, meter } = meterBody(key, body, maxBytes);
      await mkdir(join(root, TEMP_DIR), { recursive: true });
      const tempBlob = join(root, TEMP_DIR, randomUUID());
      const tempMeta = `${tempBlob}.json`;
      try {
        // `wx`: fail rather than share a temp file; `flush`: fsync before close, so the rename below
        // can never expose a name whose bytes are still only in the page cache.
        await pipeline(source, meter, createWriteStream(tempBlob, { flags: "wx", flush: true }));
        const meta: BlobMeta = { contentType };
        await writeFile(tempMeta, JSON.stringify(meta), { flag: "wx", flush: true });
        await moveIntoPlace(tempMeta, metaPath(key));
        await moveIntoPlace(tempBlob, blobPath(key));
      } catch (error) {
        await Promise.all([rm(tempBlob, { force: true }), rm(tempMeta, { force: true })]);
        throw error;
      }
      return { key, size: meter.size, sha256: meter.sha256() };
    },

    async get(key: string): Promise<Readable> {
      assertValidBlobKey(key);
      const file = await open(blobPath(key), "r").catch((error: unknown) => {
        throw isMissing(error) ? new BlobNotFoundError(key) : error;
      });
      // Opening a folder for reading succeeds on Linux; `a` is then a prefix of other keys, not a blob.
      const isFile = await file.stat().then(
        (stats) => stats.isFile(),
        async (error: unknown) => {
          await file.close();
          throw error;
        },
      );
      if (!isFile) {
        await file.close();
        throw new BlobNotFoundError(key);
      }
      return file.createReadStream();
    },

    async head(key: string): Promise<BlobInfo | null> {
      assertValidBlobKey(key);
      const stats = await stat(blobPath(key)).catch((error: unknown) => {
        if (isMissing(error)) return null;
        throw error;
      });
      if (!stats?.isFile()) return null;
      return { key, size: stats.size, contentType: await readContentType(metaPath(key)) };
    },

    async delete(key: string): Promise<void> {
      assertValidBlobKey(key);
      // The blob first: once it is gone the key reads as missing, whatever happens to the metadata.
      await unlinkIfPresent(blobPath(key));
      await unlinkIfPresent(metaPath(key));
    },
  };
}

/** Renames a synced temp file over `target` and fsyncs the folder, so the rename itself is durable. */
async function moveIntoPlace(temp: string, target: string): Promise<void> {
  const folder = dirname(target);
  await mkdir(folder, { recursive: true });
  await rename(temp, target);
  const handle = await open(folder, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function readContentType(path: string): Promise<string> {
  try {
    return (JSON.parse(await readFile(path, "utf8")) as BlobMeta).contentType;
  } catch (error) {
    // A blob written by hand, or a crash between the two renames: the bytes are there, the type is not.
    if (isMissing(error)) return "application/octet-stream";
    throw error;
  }
}

async function unlinkIfPresent(path: string): Promise<void> {
  await unlink(path).catch(async (error: unknown) => {
    if (isMissing(error)) return;
    // The key names a folder of other blobs, which is "no blob here" too: Linux says EISDIR, macOS EPERM.
    const code = errorCode(error);
    if ((code === "EISDIR" || code === "EPERM") && (await stat(path)).isDirectory()) return;
    throw error;
  });
}

function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === "ENOENT" || code === "ENOTDIR";
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
