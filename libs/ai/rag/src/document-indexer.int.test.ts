import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDocumentIndexer } from "./document-indexer";
import type { Embedder } from "./embedder";
import { startIndexLoop } from "./index-loop";
import { createOfflineEmbedder } from "./offline-embedder";
import { createPgvectorStore } from "./pgvector-store";
import { createRetrievalService } from "./retrieval.service";
import { ageDocument, editDocument } from "./testing/fixtures";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
const embedder = createOfflineEmbedder();
let documents: ReturnType<typeof createDocumentsService>;
let retrieval: ReturnType<typeof createRetrievalService>;

beforeAll(async () => {
  t = await createTestDatabase();
  documents = createDocumentsService(t.db);
  retrieval = createRetrievalService(t.db, { embedder });
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
});
afterAll(async () => {
  await t?.drop();
});

async function newDoc(org: OrganizationFixture, title: string, content: string) {
  const project = await createProjectsService(t.db).create(org.ctx, { name: `P ${title}`, description: "" });
  return documents.create(org.ctx, project.id, { title, kind: "design_doc", content });
}

const sourceIds = async (ctx: typeof acme.ctx, query: string) =>
  (await retrieval.search(ctx, { query })).map((r) => r.sourceId);

describe("indexing pending documents", () => {
  it("indexes documents of every organization once their edits have settled, and only then", async () => {
    const indexer = createDocumentIndexer(t.db, { embedder });
    const a = await newDoc(acme, "Osprey", "Osprey nests are counted weekly.");
    const b = await newDoc(globex, "Osprey too", "Osprey flights are logged.");
    expect((await indexer.indexPending({ settleMs: 60_000, batchSize: 10 })).attempted).toBe(0);

    await ageDocument(t.db, acme.ctx, a.id, 120_000);
    await ageDocument(t.db, globex.ctx, b.id, 120_000);
    const pass = await indexer.indexPending({ settleMs: 60_000, batchSize: 10 });
    expect(pass).toMatchObject({ indexed: 2, failed: [] });
    expect(await sourceIds(acme.ctx, "osprey")).toEqual([a.id]);
    expect(await sourceIds(globex.ctx, "osprey")).toEqual([b.id]);
    expect((await indexer.indexPending({ settleMs: 60_000, batchSize: 10 })).attempted).toBe(0);
  });

  it("re-indexes after an edit or a rename, at the new version", async () => {
    const indexer = createDocumentIndexer(t.db, { embedder });
    const doc = await newDoc(acme, "Heron", "Herons wade.");
    await indexer.indexPending({ settleMs: 0, batchSize: 50 });
    const version = await editDocument(t.db, acme.ctx, doc.id, "Herons wade and fish at dawn.");
    expect(await indexer.indexPending({ settleMs: 0, batchSize: 50 })).toMatchObject({ attempted: 1, indexed: 1 });
    expect((await retrieval.search(acme.ctx, { query: "herons dawn" }))[0]).toMatchObject({
      sourceId: doc.id,
      sourceVersion: version,
    });

    await documents.update(acme.ctx, doc.id, { title: "Egret" });
    expect(await indexer.indexPending({ settleMs: 0, batchSize: 50 })).toMatchObject({ attempted: 1, indexed: 1 });
    expect(await sourceIds(acme.ctx, "egret")).toEqual([doc.id]);
  });

  it("indexes every document again when the vectors move to another store", async () => {
    const doc = await newDoc(acme, "Bittern", "Bitterns boom in the reeds.");
    expect(await createDocumentIndexer(t.db, { embedder }).indexDocument(acme.ctx, doc.id)).toMatchObject({
      status: "indexed",
    });
    const elsewhere = { ...createPgvectorStore(), name: "elsewhere" };
    const moved = createDocumentIndexer(t.db, { embedder, store: elsewhere });
    expect(await moved.indexDocument(acme.ctx, doc.id)).toMatchObject({ status: "indexed" });
    expect(await moved.indexDocument(acme.ctx, doc.id)).toMatchObject({ status: "unchanged" });
  });

  it("backs off from a document whose indexing fails, and leaves the others going", async () => {
    const failing: Embedder = {
      ...embedder,
      async embed(texts) {
        if (texts.some((x) => x.includes("poison"))) throw new Error("provider refused the text");
        return embedder.embed(texts);
      },
    };
    const indexer = createDocumentIndexer(t.db, { embedder: failing, retryDelayMs: () => 60_000 });
    const bad = await newDoc(acme, "Poison", "poison pill");
    const good = await newDoc(acme, "Plover", "Plovers run.");
    const first = await indexer.indexPending({ settleMs: 0, batchSize: 50 });
    expect(first.failed).toEqual([{ documentId: bad.id, error: "provider refused the text" }]);
    expect(await sourceIds(acme.ctx, "plover")).toEqual([good.id]);
    // Held back for a minute: the next pass does not try it again.
    expect((await indexer.indexPending({ settleMs: 0, batchSize: 50 })).attempted).toBe(0);
    const state = await t.db.withTenant(acme.ctx, (tx) =>
      tx.documentIndexState.findUnique({
        where: { organizationId_documentId: { organizationId: acme.organization.id, documentId: bad.id } },
      }),
    );
    expect(state).toMatchObject({ failures: 1, lastError: "provider refused the text", indexedVersion: null });
  });

  it("keeps a newer index when a slower indexer finishes with an older read", async () => {
    const doc = await newDoc(acme, "Curlew", "Curlews call at night.");
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let embedding!: () => void;
    const hasRead = new Promise<void>((resolve) => (embedding = resolve));
    const slow: Embedder = {
      ...embedder,
      embed: async (texts) => {
        embedding();
        await gate;
        return embedder.embed(texts);
      },
    };
    const slowRun = createDocumentIndexer(t.db, { embedder: slow }).indexDocument(acme.ctx, doc.id);
    // The slow indexer has read version 0 (it embeds what it read) before the edit makes version 1.
    await hasRead;
    await editDocument(t.db, acme.ctx, doc.id, "Curlews call at dusk.");
    expect(await createDocumentIndexer(t.db, { embedder }).indexDocument(acme.ctx, doc.id)).toMatchObject({
      status: "indexed",
      version: 1,
    });
    release();
    expect(await slowRun).toEqual({ status: "superseded", version: 0 });
    expect((await retrieval.search(acme.ctx, { query: "curlews" }))[0]).toMatchObject({ sourceVersion: 1 });
  });
});

describe("the index loop", () => {
  it("makes an edited document searchable without anyone asking", async () => {
    const indexer = createDocumentIndexer(t.db, { embedder });
    const doc = await newDoc(acme, "Sandpiper", "Sandpipers probe mud.");
    const passes: number[] = [];
    let done!: () => void;
    const indexed = new Promise<void>((resolve) => (done = resolve));
    const loop = startIndexLoop({
      indexPending: () => indexer.indexPending({ settleMs: 0, batchSize: 5 }),
      intervalMs: 20,
      onPass: (result) => {
        passes.push(result.indexed);
        if (result.indexed > 0) done();
      },
    });
    try {
      await indexed;
      expect(await sourceIds(acme.ctx, "sandpipers mud")).toContain(doc.id);
    } finally {
      await loop.stop();
    }
  });

  it("backs off after failed passes and recovers", async () => {
    const delays: number[] = [];
    let calls = 0;
    let recovered!: () => void;
    const ok = new Promise<void>((resolve) => (recovered = resolve));
    const loop = startIndexLoop({
      indexPending: async () => {
        calls++;
        if (calls <= 3) throw new Error("database unavailable");
        recovered();
        return { attempted: 0, indexed: 0, failed: [] };
      },
      intervalMs: 5,
      onError: (_error, failures) => delays.push(failures),
    });
    await ok;
    await loop.stop();
    expect(delays).toEqual([1, 2, 3]);
  });
});
