import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentHistoryService, createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { isAppError } from "@devflow/util-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDocumentIndexer } from "./document-indexer";
import { createOfflineEmbedder } from "./offline-embedder";
import { createRetrievalService, SEARCH_QUERY_MAX_LENGTH } from "./retrieval.service";
import { editDocument } from "./testing/fixtures";

let t: TestDatabase;
let acme: OrganizationFixture;
const embedder = createOfflineEmbedder();
let retrieval: ReturnType<typeof createRetrievalService>;
let indexer: ReturnType<typeof createDocumentIndexer>;
let documents: ReturnType<typeof createDocumentsService>;
let projectId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  retrieval = createRetrievalService(t.db, { embedder });
  indexer = createDocumentIndexer(t.db, { embedder });
  documents = createDocumentsService(t.db);
  acme = await buildOrganization(t.db, "Acme");
  projectId = (await createProjectsService(t.db).create(acme.ctx, { name: "Platform", description: "" })).id;
});
afterAll(async () => {
  await t?.drop();
});

async function indexedDoc(title: string, content: string, project = projectId) {
  const doc = await documents.create(acme.ctx, project, { title, kind: "design_doc", content });
  await indexer.indexDocument(acme.ctx, doc.id);
  return doc;
}

async function expectValidationError(promise: Promise<unknown>, pattern: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isAppError(error) && error.code).toBe("validation_failed");
  expect((error as Error).message).toMatch(pattern);
}

describe("indexing and hybrid search", () => {
  it("finds a passage by its words, with citation offsets into the version it was cut from", async () => {
    const doc = await indexedDoc(
      "Cache invalidation",
      "# Cache invalidation\n\n## Strategy\n\nEntries expire after one hour; writes purge the key immediately.\n\n## Metrics\n\nHit ratio is exported.",
    );
    const [best] = await retrieval.search(acme.ctx, { query: "when do cache entries expire" });
    expect(best).toMatchObject({
      sourceType: "document",
      sourceId: doc.id,
      sourceVersion: 0,
      projectId,
      title: "Cache invalidation",
      heading: "Cache invalidation › Strategy",
    });
    const text = await createDocumentHistoryService(t.db).textAt(acme.ctx, doc.id, best!.sourceVersion);
    expect(text.content.slice(best!.startOffset, best!.endOffset)).toBe(best!.content);
    expect(best!.highlights.map((h) => best!.content.slice(h.start, h.end))).toEqual(
      expect.arrayContaining(["expire", "Entries"]),
    );
  });

  it("finds a document by its title even when its text never says it", async () => {
    const doc = await indexedDoc("Quokka rollout plan", "We ship the feature to ten percent of users first.");
    const results = await retrieval.search(acme.ctx, { query: "quokka" });
    expect(results[0]?.sourceId).toBe(doc.id);
  });

  it("finds a passage through a typo, by vector similarity, where full text finds nothing", async () => {
    const doc = await indexedDoc("Ledger", "Every transaction is written to an append-only journal with a checksum.");
    const results = await retrieval.search(acme.ctx, { query: "apend-only jurnal checksums" });
    expect(results.map((r) => r.sourceId)).toContain(doc.id);
  });

  it("ranks a passage matched by both arms above passages matched by one", async () => {
    const both = await indexedDoc("Sharding", "Shard keys are chosen by organization so tenants never span shards.");
    await indexedDoc("Keys", "Keys rotate monthly.");
    const results = await retrieval.search(acme.ctx, { query: "shard keys organization" });
    expect(results[0]?.sourceId).toBe(both.id);
    for (let i = 1; i < results.length; i++) expect(results[i]!.score).toBeLessThanOrEqual(results[i - 1]!.score);
  });

  it("re-indexes a changed document at its new version and skips an unchanged one", async () => {
    const doc = await indexedDoc("Pricing", "Plans are billed monthly per seat.");
    expect(await indexer.indexDocument(acme.ctx, doc.id)).toEqual({ status: "unchanged", version: 0 });
    const version = await editDocument(t.db, acme.ctx, doc.id, "Plans are billed yearly per seat, with a discount.");
    expect(await indexer.indexDocument(acme.ctx, doc.id)).toEqual({ status: "indexed", version, chunks: 1 });
    const [hit] = await retrieval.search(acme.ctx, { query: "billed yearly discount" });
    expect(hit).toMatchObject({ sourceId: doc.id, sourceVersion: version });
    expect(await retrieval.search(acme.ctx, { query: "monthly", projectId })).not.toContainEqual(
      expect.objectContaining({ sourceId: doc.id }),
    );
  });

  it("leaves archived documents out and forgets deleted ones", async () => {
    const archived = await indexedDoc("Zeppelin archive", "Zeppelin notes.");
    const deleted = await indexedDoc("Zeppelin deleted", "Zeppelin notes.");
    expect((await retrieval.search(acme.ctx, { query: "zeppelin" })).map((r) => r.sourceId).sort()).toEqual(
      [archived.id, deleted.id].sort(),
    );
    await documents.update(acme.ctx, archived.id, { archived: true });
    await documents.remove(acme.ctx, deleted.id);
    expect(await retrieval.search(acme.ctx, { query: "zeppelin" })).toEqual([]);
    const chunks = await t.db.withTenant(acme.ctx, (tx) =>
      tx.textChunk.count({ where: { sourceId: { in: [archived.id, deleted.id] } } }),
    );
    expect(chunks).toBe(1);
  });

  it("searches one project when asked, and honours the limit", async () => {
    const other = await createProjectsService(t.db).create(acme.ctx, { name: "Mobile", description: "" });
    const inOther = await indexedDoc("Walrus app", "Walrus walrus walrus.", other.id);
    await indexedDoc("Walrus web", "Walrus.");
    const scoped = await retrieval.search(acme.ctx, { query: "walrus", projectId: other.id });
    expect(scoped.map((r) => r.sourceId)).toEqual([inOther.id]);
    expect(await retrieval.search(acme.ctx, { query: "walrus", limit: 1 })).toHaveLength(1);
    expect(await retrieval.search(acme.ctx, { query: "walrus", sourceTypes: ["pull_request"] })).toEqual([]);
  });

  it("returns nothing for a blank query and rejects bad input with a clear error", async () => {
    expect(await retrieval.search(acme.ctx, { query: "   " })).toEqual([]);
    await expectValidationError(
      retrieval.search(acme.ctx, { query: "x".repeat(SEARCH_QUERY_MAX_LENGTH + 1) }),
      /query/,
    );
    await expectValidationError(retrieval.search(acme.ctx, { query: "cache", limit: 0 }), /limit/);
    await expectValidationError(retrieval.search(acme.ctx, { query: "cache", limit: 101 }), /limit/);
    await expectValidationError(retrieval.search(acme.ctx, { query: "cache", projectId: "nope" }), /projectId/);
    await expectValidationError(
      retrieval.search(acme.ctx, { query: "cache", sourceTypes: ["tweet" as "document"] }),
      /sourceTypes/,
    );
  });

  it("treats websearch syntax as data, never as SQL", async () => {
    const results = await retrieval.search(acme.ctx, { query: `"cache entries" -pricing or ') OR 1=1 --` });
    for (const r of results) expect(r.content).not.toMatch(/Pricing/);
  });
});
