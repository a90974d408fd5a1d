import { Readable } from "node:stream";
import { buffer as readAll } from "node:stream/consumers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGcsBlobStore } from "./gcs-blob-store";
import { describeBlobStoreConformance } from "./testing/blob-store-conformance";
import { crc32c, startFakeGcsServer, type FakeGcsServer } from "./testing/fake-gcs-server";

const BUCKET = "devflow-test-blobs";
let fake: FakeGcsServer;
beforeAll(async () => {
  fake = await startFakeGcsServer({ buckets: [BUCKET] });
});
afterAll(async () => {
  await fake.close();
});

describeBlobStoreConformance("Google Cloud Storage (loopback fake)", async () => ({
  store: createGcsBlobStore({ bucket: BUCKET, projectId: "devflow-test", apiEndpoint: fake.url }),
}));

describe("createGcsBlobStore", () => {
  it("uploads with one multipart request and sends no credentials to a custom endpoint", async () => {
    const store = createGcsBlobStore({ bucket: BUCKET, apiEndpoint: fake.url });
    const before = fake.requests.length;
    await store.put("wire/check.txt", Buffer.from("hello"), { contentType: "text/plain" });
    const [upload] = fake.requests.slice(before);
    expect(upload).toMatchObject({ method: "POST", path: `/upload/storage/v1/b/${BUCKET}/o` });
    expect(upload!.query.get("uploadType")).toBe("multipart");
    expect(upload!.query.get("name")).toBe("wire/check.txt");
    expect(upload!.headers.authorization).toBeUndefined();
    expect(fake.object(BUCKET, "wire/check.txt")).toMatchObject({
      contentType: "text/plain",
      data: Buffer.from("hello"),
    });
  });

  it("reads metadata and bytes from the object endpoints, with the key percent-encoded", async () => {
    const store = createGcsBlobStore({ bucket: BUCKET, apiEndpoint: fake.url });
    await store.put("wire/nested/file.md", Buffer.from("# hi"), { contentType: "text/markdown" });
    const before = fake.requests.length;
    await store.head("wire/nested/file.md");
    await readAll(await store.get("wire/nested/file.md"));
    await store.delete("wire/nested/file.md");
    const calls = fake.requests
      .slice(before)
      .map((r) => `${r.method} ${r.path}${r.query.get("alt") ? "?alt=" + r.query.get("alt") : ""}`);
    expect(calls).toEqual([
      `GET /storage/v1/b/${BUCKET}/o/wire%2Fnested%2Ffile.md`,
      `GET /storage/v1/b/${BUCKET}/o/wire%2Fnested%2Ffile.md?alt=media`,
      `DELETE /storage/v1/b/${BUCKET}/o/wire%2Fnested%2Ffile.md`,
    ]);
  });

  it("sends nothing to GCS for an oversized or failing body", async () => {
    const store = createGcsBlobStore({ bucket: BUCKET, apiEndpoint: fake.url });
    const before = fake.requests.length;
    const chunks = Array.from({ length: 64 }, () => Buffer.alloc(64 * 1024, 3));
    await expect(
      store.put("wire/too-big.bin", Readable.from(chunks), {
        contentType: "application/octet-stream",
        maxBytes: 1024 * 1024,
      }),
    ).rejects.toMatchObject({ name: "BlobTooLargeError" });
    async function* failing() {
      yield Buffer.alloc(1024);
      throw new Error("client went away");
    }
    await expect(store.put("wire/failed.bin", Readable.from(failing()), { contentType: "text/plain" })).rejects.toThrow(
      "client went away",
    );
    expect(fake.requests.length).toBe(before);
    expect(fake.abortedRequests).toEqual([]);
  });

  it("caps bodies at maxBlobBytes when the caller sets no smaller maxBytes", async () => {
    const store = createGcsBlobStore({ bucket: BUCKET, apiEndpoint: fake.url, maxBlobBytes: 1000 });
    await expect(store.put("wire/capped", Buffer.alloc(1001), { contentType: "text/plain" })).rejects.toMatchObject({
      name: "BlobTooLargeError",
      maxBytes: 1000,
    });
    await expect(
      store.put("wire/capped", Buffer.alloc(1001), { contentType: "text/plain", maxBytes: 5000 }),
    ).rejects.toMatchObject({ maxBytes: 1000 });
  });

  it("fails a put whose bucket does not exist", async () => {
    const store = createGcsBlobStore({ bucket: "no-such-bucket", apiEndpoint: fake.url });
    await expect(store.put("x", Buffer.from("x"), { contentType: "text/plain" })).rejects.toMatchObject({ code: 404 });
  });
});

describe("fake GCS server", () => {
  it("computes CRC-32C like the published check value", () => {
    expect(crc32c(Buffer.from("123456789"))).toBe(0xe3069283);
  });
});
