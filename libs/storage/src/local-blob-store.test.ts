import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { createLocalBlobStore } from "./local-blob-store";
import { describeBlobStoreConformance } from "./testing/blob-store-conformance";

const directories: string[] = [];
async function tempDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "devflow-blobs-"));
  directories.push(directory);
  return directory;
}
afterAll(async () => {
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

describeBlobStoreConformance("local directory", async () => ({
  store: createLocalBlobStore({ directory: await tempDirectory() }),
}));

describe("createLocalBlobStore", () => {
  it("lays blobs out as nested folders by key", async () => {
    const directory = await tempDirectory();
    const store = createLocalBlobStore({ directory });
    await store.put("org-1/docs/report.pdf", Buffer.from("%PDF"), { contentType: "application/pdf" });
    expect(await readdir(join(directory, "org-1", "docs"))).toEqual(["report.pdf"]);
  });

  it("leaves no temporary files behind after a put, a failed put or an oversized put", async () => {
    const directory = await tempDirectory();
    const store = createLocalBlobStore({ directory });
    await store.put("ok", Buffer.from("fine"), { contentType: "text/plain" });
    await store.put("big", Buffer.alloc(10), { contentType: "text/plain", maxBytes: 5 }).catch(() => undefined);
    await store
      .put("streamed-big", Readable.from([Buffer.alloc(4), Buffer.alloc(4)]), {
        contentType: "text/plain",
        maxBytes: 5,
      })
      .catch(() => undefined);
    async function* failing() {
      yield Buffer.from("partial");
      throw new Error("boom");
    }
    await store.put("failed", Readable.from(failing()), { contentType: "text/plain" }).catch(() => undefined);
    expect(await readdir(join(directory, ".tmp"))).toEqual([]);
    expect((await readdir(directory)).sort()).toEqual([".meta", ".tmp", "ok"]);
  });

  it("never shows a half-written blob while a put is streaming", async () => {
    const directory = await tempDirectory();
    const store = createLocalBlobStore({ directory });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    async function* slow() {
      yield Buffer.from("first half, ");
      await gate;
      yield Buffer.from("second half");
    }
    const putting = store.put("slow.txt", Readable.from(slow()), { contentType: "text/plain" });
    // The first chunk is on disk (in .tmp) while the stream waits; the key must still read as missing.
    await expect.poll(async () => (await readdir(join(directory, ".tmp")).catch(() => [])).length).toBe(1);
    expect(await store.head("slow.txt")).toBeNull();
    release();
    await putting;
    expect(await store.head("slow.txt")).toMatchObject({ size: 23 });
  });
});
