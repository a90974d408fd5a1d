import { createHash, randomBytes, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import { buffer as readAll } from "node:stream/consumers";
import { beforeAll, describe, expect, it } from "vitest";
import { BlobNotFoundError, BlobTooLargeError, InvalidBlobKeyError, type BlobStore } from "../blob-store";

export interface BlobStoreFixture {
  store: BlobStore;
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** Yields `chunk` `count` times (Infinity: until the consumer stops reading). */
async function* repeat(chunk: Buffer, count: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < count; i++) yield chunk;
}

const INVALID_KEYS = [
  "",
  "/etc/passwd",
  "../outside",
  "a/../../outside",
  "a/./b",
  "a//b",
  "a/",
  "a\\b",
  "with space",
  ".hidden",
  "a/.tmp/x",
  "ünïcode",
  "x".repeat(1025),
];

/**
 * What every `BlobStore` must do, run once per adapter (local directory, GCS against the fake),
 * like `describeOpStoreContract`. Each test uses its own key prefix, so one store serves them all.
 */
export function describeBlobStoreConformance(name: string, setup: () => Promise<BlobStoreFixture>): void {
  describe(`BlobStore conformance: ${name}`, () => {
    let store: BlobStore;
    let prefix: string;
    beforeAll(async () => {
      ({ store } = await setup());
    });
    const key = (suffix: string) => `${prefix}/${suffix}`;
    // A fresh prefix per test keeps tests independent while sharing one store.
    const fresh = () => (prefix = `org-${randomUUID()}`);

    it("returns the bytes it stored, with their size and SHA-256", async () => {
      fresh();
      const body = randomBytes(10_000);
      expect(await store.put(key("a.bin"), body, { contentType: "application/octet-stream" })).toEqual({
        key: key("a.bin"),
        size: 10_000,
        sha256: sha256(body),
      });
      expect(await readAll(await store.get(key("a.bin")))).toEqual(body);
    });

    it("streams a multi-chunk body in and out unchanged, every byte value included", async () => {
      fresh();
      const chunk = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const chunks = Array.from({ length: 300 }, () => chunk);
      const result = await store.put(key("docs/2026/report.pdf"), Readable.from(chunks), {
        contentType: "application/pdf",
      });
      const expected = Buffer.concat(chunks);
      expect(result).toEqual({ key: key("docs/2026/report.pdf"), size: expected.length, sha256: sha256(expected) });
      expect(await readAll(await store.get(key("docs/2026/report.pdf")))).toEqual(expected);
    });

    it("stores an empty blob", async () => {
      fresh();
      expect(await store.put(key("empty"), Buffer.alloc(0), { contentType: "text/plain" })).toMatchObject({
        size: 0,
        sha256: sha256(Buffer.alloc(0)),
      });
      expect(await readAll(await store.get(key("empty")))).toEqual(Buffer.alloc(0));
      expect(await store.head(key("empty"))).toEqual({ key: key("empty"), size: 0, contentType: "text/plain" });
    });

    it("reports size and content type from head, and null for a missing key", async () => {
      fresh();
      await store.put(key("notes.md"), Buffer.from("# Notes\n"), { contentType: "text/markdown" });
      expect(await store.head(key("notes.md"))).toEqual({
        key: key("notes.md"),
        size: 8,
        contentType: "text/markdown",
      });
      expect(await store.head(key("missing.md"))).toBeNull();
    });

    it("rejects get of a missing key with BlobNotFoundError", async () => {
      fresh();
      const error = await store.get(key("missing")).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BlobNotFoundError);
      expect(error).toMatchObject({ code: "not_found", key: key("missing") });
    });

    it("treats a prefix of other keys as missing", async () => {
      fresh();
      await store.put(key("folder/inner"), Buffer.from("x"), { contentType: "text/plain" });
      expect(await store.head(key("folder"))).toBeNull();
      await expect(store.get(key("folder"))).rejects.toBeInstanceOf(BlobNotFoundError);
      await store.delete(key("folder"));
      expect(await store.head(key("folder/inner"))).not.toBeNull();
    });

    it("replaces a blob that is put again", async () => {
      fresh();
      await store.put(key("v"), Buffer.from("first"), { contentType: "text/plain" });
      await store.put(key("v"), Buffer.from("second version"), { contentType: "text/markdown" });
      expect(await readAll(await store.get(key("v")))).toEqual(Buffer.from("second version"));
      expect(await store.head(key("v"))).toEqual({ key: key("v"), size: 14, contentType: "text/markdown" });
    });

    it("deletes idempotently", async () => {
      fresh();
      await store.put(key("gone"), Buffer.from("bye"), { contentType: "text/plain" });
      await store.delete(key("gone"));
      expect(await store.head(key("gone"))).toBeNull();
      await expect(store.get(key("gone"))).rejects.toBeInstanceOf(BlobNotFoundError);
      await store.delete(key("gone"));
      await store.delete(key("never-existed"));
    });

    it("accepts a body of exactly maxBytes", async () => {
      fresh();
      const result = await store.put(key("fits"), Readable.from(repeat(Buffer.alloc(1024, 1), 4)), {
        contentType: "application/octet-stream",
        maxBytes: 4096,
      });
      expect(result.size).toBe(4096);
    });

    it("refuses a Buffer over maxBytes with BlobTooLargeError and stores nothing", async () => {
      fresh();
      const error = await store
        .put(key("big"), Buffer.alloc(4097), { contentType: "application/octet-stream", maxBytes: 4096 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BlobTooLargeError);
      expect(error).toMatchObject({ code: "payload_too_large", maxBytes: 4096 });
      expect(await store.head(key("big"))).toBeNull();
    });

    it("aborts an endless stream once it passes maxBytes, leaving nothing behind", async () => {
      fresh();
      const endless = Readable.from(repeat(Buffer.alloc(16 * 1024, 7), Infinity));
      await expect(
        store.put(key("endless"), endless, { contentType: "application/octet-stream", maxBytes: 256 * 1024 }),
      ).rejects.toBeInstanceOf(BlobTooLargeError);
      expect(endless.destroyed).toBe(true);
      expect(await store.head(key("endless"))).toBeNull();
    });

    it("keeps the previous blob when its replacement is too large", async () => {
      fresh();
      await store.put(key("keep"), Buffer.from("original"), { contentType: "text/plain" });
      await expect(
        store.put(key("keep"), Readable.from(repeat(Buffer.alloc(1024), 8)), {
          contentType: "text/plain",
          maxBytes: 4096,
        }),
      ).rejects.toBeInstanceOf(BlobTooLargeError);
      expect(await readAll(await store.get(key("keep")))).toEqual(Buffer.from("original"));
    });

    it("stores nothing when the body stream fails mid-way", async () => {
      fresh();
      async function* failing() {
        yield Buffer.alloc(8 * 1024, 1);
        throw new Error("client went away");
      }
      await expect(store.put(key("broken"), Readable.from(failing()), { contentType: "text/plain" })).rejects.toThrow(
        "client went away",
      );
      expect(await store.head(key("broken"))).toBeNull();
    });

    it("rejects unsafe keys with InvalidBlobKeyError in every method", async () => {
      for (const bad of INVALID_KEYS) {
        const attempts: Promise<unknown>[] = [
          store.put(bad, Buffer.from("x"), { contentType: "text/plain" }),
          store.get(bad),
          store.head(bad),
          store.delete(bad),
        ];
        for (const attempt of attempts) {
          const error = await attempt.then(
            () => null,
            (e: unknown) => e,
          );
          expect(error, `key ${JSON.stringify(bad.slice(0, 40))}`).toBeInstanceOf(InvalidBlobKeyError);
          expect(error).toMatchObject({ code: "validation_failed" });
        }
      }
    });
  });
}
