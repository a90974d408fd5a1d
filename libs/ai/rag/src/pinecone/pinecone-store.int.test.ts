import { randomUUID } from "node:crypto";
import type { RequestContext } from "@devflow/auth";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService, listVisibleProjectIds } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDocumentIndexer } from "../document-indexer";
import { createOfflineEmbedder, hashEmbedding } from "../offline-embedder";
import { createRetrievalService } from "../retrieval.service";
import { startFakePinecone, type FakePinecone } from "../testing/fake-pinecone";
import { editDocument } from "../testing/fixtures";
import { createPineconeStore, pineconeNamespace, type PineconeStore } from "./pinecone-store";

/**
 * The Pinecone store end to end: documents indexed by the real indexer into real Postgres (text
 * rows, RLS) and a loopback Pinecone index (vectors), searched through the real retrieval service.
 * Every document in the isolation tests says the same thing, so only visibility tells them apart.
 */
const API_KEY = "pcsk_test_0123456789abcdef";
const TEXT = "Our kestrel migration moves every kestrel queue to the new cluster.";
const embedder = createOfflineEmbedder();

let t: TestDatabase;
let pinecone: FakePinecone;
let store: PineconeStore;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let documents: ReturnType<typeof createDocumentsService>;
let projects: ReturnType<typeof createProjectsService>;
let indexer: ReturnType<typeof createDocumentIndexer>;
let retrieval: ReturnType<typeof createRetrievalService>;
let openProjectId: string;
let privateProjectId: string;
let openDoc: string;
let privateDoc: string;
let globexDoc: string;

beforeAll(async () => {
  t = await createTestDatabase();
  pinecone = await startFakePinecone({ apiKey: API_KEY });
  store = createPineconeStore({ apiKey: API_KEY, indexHost: pinecone.indexHost, maxRetries: 0 });
  documents = createDocumentsService(t.db);
  projects = createProjectsService(t.db);
  indexer = createDocumentIndexer(t.db, { embedder, store });
  retrieval = createRetrievalService(t.db, { embedder, store });
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  openProjectId = (await projects.create(acme.ctx, { name: "Open", description: "" })).id;
  privateProjectId = (await projects.create(acme.ctx, { name: "Secret", description: "", visibility: "private" })).id;
  const globexProject = await projects.create(globex.ctx, { name: "Globex open", description: "" });
  openDoc = await createIndexed(acme.ctx, openProjectId, "Kestrel plan", TEXT);
  privateDoc = await createIndexed(acme.ctx, privateProjectId, "Kestrel plan (private)", TEXT);
  globexDoc = await createIndexed(globex.ctx, globexProject.id, "Kestrel plan at Globex", TEXT);
});
afterAll(async () => {
  await pinecone?.close();
  await t?.drop();
});
beforeEach(() => {
  pinecone.requests.length = 0;
});

async function createIndexed(ctx: RequestContext, projectId: string, title: string, content: string) {
  const doc = await documents.create(ctx, projectId, { title, kind: "rfc", content });
  expect(await indexer.indexDocument(ctx, doc.id)).toMatchObject({ status: "indexed" });
  return doc.id;
}

/** The vector arm alone: what store.nearest returns for `ctx`, as the retrieval service would call it. */
async function nearestSources(ctx: RequestContext, text: string, limit = 10, projectId: string | null = null) {
  return t.db.withTenant(ctx, async (tx) => {
    const ids = await store.nearest(tx, {
      vector: hashEmbedding(text),
      model: embedder.model,
      limit,
      minSimilarity: embedder.minSimilarity,
      filter: { visibleProjectIds: await listVisibleProjectIds(tx, ctx), projectId, sourceTypes: ["document"] },
    });
    const rows = await tx.textChunk.findMany({ where: { id: { in: ids } }, select: { id: true, sourceId: true } });
    const source = new Map(rows.map((r) => [r.id, r.sourceId]));
    return ids.map((id) => source.get(id));
  });
}

const searched = async (ctx: RequestContext, query: string, limit = 10) =>
  (await retrieval.search(ctx, { query, limit })).map((r) => r.sourceId).sort();

describe("Pinecone store: writing", () => {
  it("keeps chunk text in Postgres without embeddings and puts the vectors in the organization's namespace", async () => {
    const rows = await t.db.withTenant(
      acme.ctx,
      (tx) =>
        tx.$queryRaw<{ id: string; hasEmbedding: boolean; model: string }[]>`
        SELECT id::text AS id, embedding IS NOT NULL AS "hasEmbedding", embedding_model AS model
          FROM text_chunks WHERE source_id = ${openDoc}::uuid`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => !r.hasEmbedding && r.model === embedder.model)).toBe(true);

    const vectors = pinecone
      .records(pineconeNamespace(acme.organization.id))
      .filter((r) => r.metadata.sourceId === openDoc);
    expect(vectors.map((v) => v.id).sort()).toEqual(rows.map((r) => r.id).sort());
    expect(vectors[0]!.metadata).toMatchObject({
      organizationId: acme.organization.id,
      projectId: openProjectId,
      sourceType: "document",
      sourceId: openDoc,
      sourceVersion: expect.any(Number),
      model: embedder.model,
    });
    expect(pinecone.namespaces().sort()).toEqual(
      [pineconeNamespace(acme.organization.id), pineconeNamespace(globex.organization.id)].sort(),
    );
    expect(
      pinecone
        .records(pineconeNamespace(globex.organization.id))
        .every((r) => r.metadata.organizationId === globex.organization.id),
    ).toBe(true);
  });

  it("replaces a document's vectors when it is re-indexed, leaving none of the old chunk set", async () => {
    const doc = await createIndexed(acme.ctx, openProjectId, "Plover", "Plovers nest on shingle.");
    const before = pinecone.records(pineconeNamespace(acme.organization.id)).filter((r) => r.metadata.sourceId === doc);
    const version = await editDocument(
      t.db,
      acme.ctx,
      doc,
      "Plovers nest on shingle.\n\n## Counting\n\nPlover chicks are counted in June.",
    );
    expect(await indexer.indexDocument(acme.ctx, doc)).toMatchObject({ status: "indexed", version });

    const after = pinecone.records(pineconeNamespace(acme.organization.id)).filter((r) => r.metadata.sourceId === doc);
    const rowIds = await t.db.withTenant(acme.ctx, (tx) =>
      tx.textChunk.findMany({ where: { sourceId: doc }, select: { id: true } }),
    );
    expect(after.map((r) => r.id).sort()).toEqual(rowIds.map((r) => r.id).sort());
    expect(after.every((r) => r.metadata.sourceVersion === version)).toBe(true);
    expect(after.some((r) => before.some((b) => b.id === r.id))).toBe(false);
  });

  it("cleans up the vectors of a write whose transaction rolled back at the next indexing", async () => {
    const doc = await createIndexed(acme.ctx, openProjectId, "Avocet", "Avocets sweep the mud.");
    const source = {
      organizationId: acme.organization.id,
      projectId: openProjectId,
      sourceType: "document" as const,
      sourceId: doc,
      sourceVersion: 1,
    };
    const chunk = {
      index: 0,
      headingPath: ["Avocet"],
      heading: "Avocet",
      content: "Avocets sweep",
      startOffset: 0,
      endOffset: 13,
    };
    await expect(
      t.db.withTenant(acme.ctx, async (tx) => {
        await store.replaceSource(
          tx,
          source,
          [{ ...chunk, embedding: hashEmbedding("avocets sweep") }],
          embedder.model,
        );
        throw new Error("commit failed");
      }),
    ).rejects.toThrow("commit failed");
    const namespace = pineconeNamespace(acme.organization.id);
    const vectorIds = () =>
      pinecone
        .records(namespace)
        .filter((r) => r.metadata.sourceId === doc)
        .map((r) => r.id)
        .sort();
    const rowIds = async () =>
      (
        await t.db.withTenant(acme.ctx, (tx) =>
          tx.textChunk.findMany({ where: { sourceId: doc }, select: { id: true } }),
        )
      )
        .map((r) => r.id)
        .sort();
    // The rolled-back write left a vector no row names (and had deleted the committed ones).
    const orphans = vectorIds();
    expect(orphans).toHaveLength(1);
    expect(await rowIds()).not.toContain(orphans[0]);
    expect(await nearestSources(acme.ctx, "avocets sweep")).toEqual([]);

    await editDocument(t.db, acme.ctx, doc, "Avocets sweep the mud with upturned bills.");
    await indexer.indexDocument(acme.ctx, doc);
    expect(vectorIds()).toEqual(await rowIds());
    expect(vectorIds()).not.toContain(orphans[0]);
    expect(await nearestSources(acme.ctx, "avocets sweep")).toEqual([doc]);
  });

  it("refuses to write another organization's chunks inside this organization's transaction, before calling Pinecone", async () => {
    const source = {
      organizationId: globex.organization.id,
      projectId: null,
      sourceType: "document" as const,
      sourceId: randomUUID(),
      sourceVersion: 1,
    };
    await expect(
      t.db.withTenant(acme.ctx, (tx) => store.replaceSource(tx, source, [], embedder.model)),
    ).rejects.toMatchObject({ code: "tenant_mismatch" });
    expect(pinecone.requests).toHaveLength(0);
  });

  it("sends the documented data-plane requests with the key and API version headers", async () => {
    await nearestSources(acme.ctx, "kestrel migration");
    const [query] = pinecone.requests;
    expect(query).toMatchObject({ method: "POST", path: "/query" });
    expect(query!.headers["api-key"]).toBe(API_KEY);
    expect(query!.headers["x-pinecone-api-version"]).toBe("2026-04");
    expect(query!.body).toMatchObject({
      namespace: pineconeNamespace(acme.organization.id),
      topK: 10,
      includeMetadata: false,
      includeValues: false,
      filter: {
        $and: expect.arrayContaining([
          { organizationId: { $eq: acme.organization.id } },
          { model: { $eq: embedder.model } },
          { sourceType: { $in: ["document"] } },
          { projectId: { $in: expect.arrayContaining([openProjectId, privateProjectId]) } },
        ]),
      },
    });
  });
});

describe("Pinecone store: isolation", () => {
  it("shows an owner every project of their organization and nothing of another", async () => {
    expect((await nearestSources(acme.ctx, TEXT)).sort()).toEqual([openDoc, privateDoc].sort());
    expect(await nearestSources(globex.ctx, TEXT)).toEqual([globexDoc]);
    expect(await searched(acme.ctx, "kestrel migration cluster")).toEqual([openDoc, privateDoc].sort());
    expect(await searched(globex.ctx, "kestrel migration cluster")).toEqual([globexDoc]);
  });

  it("never returns another organization's vectors, even for that organization's exact text", async () => {
    const results = await retrieval.search(acme.ctx, { query: "Kestrel plan at Globex", limit: 100 });
    expect(results.map((r) => r.sourceId)).not.toContain(globexDoc);
    expect(await nearestSources(acme.ctx, "Kestrel plan at Globex\nOur kestrel migration", 100)).not.toContain(
      globexDoc,
    );
    expect(
      pinecone.requests
        .filter((r) => r.path === "/query")
        .every((r) => (r.body as { namespace: string }).namespace === pineconeNamespace(acme.organization.id)),
    ).toBe(true);
  });

  it("hides a private project's vectors from a member who is not on it, even in the only place", async () => {
    const member = await acme.addMember("member");
    expect(await nearestSources(member, TEXT)).toEqual([openDoc]);
    // The private document's title matches the query better; ranked first and filtered after, it
    // would take the only place and leave nothing. Filtered before ranking, the open one gets it.
    expect(await nearestSources(member, "Kestrel plan (private)\n" + TEXT, 1)).toEqual([openDoc]);
    expect(await nearestSources(member, TEXT, 10, privateProjectId)).toEqual([]);
    expect(await searched(member, "kestrel migration cluster", 1)).toEqual([openDoc]);
  });

  it("leaves out archived documents and vectors whose rows are gone", async () => {
    const doc = await createIndexed(acme.ctx, openProjectId, "Shrike", "Shrikes impale their prey on thorns.");
    expect(await nearestSources(acme.ctx, "shrikes impale prey")).toContain(doc);
    await documents.update(acme.ctx, doc, { archived: true });
    expect(await nearestSources(acme.ctx, "shrikes impale prey")).not.toContain(doc);
    const query = pinecone.requests.filter((r) => r.path === "/query").at(-1)!;
    expect(JSON.stringify(query.body)).toContain(`{"sourceId":{"$nin":["${doc}"]}}`);

    // A vector Pinecone still holds after its row was deleted (a document removed) is never returned.
    const gone = await createIndexed(acme.ctx, openProjectId, "Wryneck", "Wrynecks twist their necks.");
    await documents.remove(acme.ctx, gone);
    expect(pinecone.records(pineconeNamespace(acme.organization.id)).some((r) => r.metadata.sourceId === gone)).toBe(
      true,
    );
    expect(await nearestSources(acme.ctx, "wrynecks twist necks")).not.toContain(gone);
    await store.removeSource({ organizationId: acme.organization.id, sourceType: "document", sourceId: gone });
    expect(pinecone.records(pineconeNamespace(acme.organization.id)).some((r) => r.metadata.sourceId === gone)).toBe(
      false,
    );
  });

  it("drops neighbours below minSimilarity and vectors of another embedding model", async () => {
    expect(await nearestSources(acme.ctx, "zeppelin quartz saxophone")).toEqual([]);
    const other = await t.db.withTenant(acme.ctx, async (tx) =>
      store.nearest(tx, {
        vector: hashEmbedding(TEXT),
        model: "openai/text-embedding-3-small",
        limit: 10,
        minSimilarity: 0,
        filter: { visibleProjectIds: null, projectId: null, sourceTypes: ["document"] },
      }),
    );
    expect(other).toEqual([]);
  });
});

describe("Pinecone store: failures", () => {
  it("maps a throttled or failing Pinecone to ai_rate_limited / ai_provider_error, and a failed upsert leaves the old index in place", async () => {
    pinecone.failNext({
      status: 429,
      headers: { "retry-after": "3" },
      body: { code: 8, message: "Too many requests", details: [] },
    });
    await expect(nearestSources(acme.ctx, TEXT)).rejects.toMatchObject({
      code: "ai_rate_limited",
      details: { retryAfterSeconds: 3 },
    });

    const version = await editDocument(t.db, acme.ctx, openDoc, TEXT + " Extra words.");
    pinecone.failNext({ status: 500, body: { code: 13, message: "internal error", details: [] } });
    await expect(indexer.indexDocument(acme.ctx, openDoc)).rejects.toMatchObject({
      code: "ai_provider_error",
      retryable: true,
    });
    // The upsert failed before anything was deleted and the transaction rolled back: still found.
    expect(await nearestSources(acme.ctx, TEXT)).toContain(openDoc);
    expect(await indexer.indexDocument(acme.ctx, openDoc)).toMatchObject({ status: "indexed", version });
  });

  it("times out a stalled Pinecone request with ai_timeout", async () => {
    const quick = createPineconeStore({
      apiKey: API_KEY,
      indexHost: pinecone.indexHost,
      timeoutMs: 100,
      maxRetries: 0,
    });
    pinecone.stallNext(2_000);
    await expect(
      t.db.withTenant(acme.ctx, (tx) =>
        quick.nearest(tx, {
          vector: hashEmbedding(TEXT),
          model: embedder.model,
          limit: 5,
          minSimilarity: 0,
          filter: { visibleProjectIds: null, projectId: null, sourceTypes: ["document"] },
        }),
      ),
    ).rejects.toMatchObject({ code: "ai_timeout" });
  });

  it("reports a refused key without revealing it", async () => {
    const wrong = createPineconeStore({
      apiKey: "pcsk_wrong_key_000000",
      indexHost: pinecone.indexHost,
      maxRetries: 0,
    });
    const error = await wrong.removeOrganization(acme.organization.id).catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ code: "ai_provider_error", retryable: false });
    expect(String((error as Error).message)).not.toContain("pcsk_wrong_key");
  });
});
