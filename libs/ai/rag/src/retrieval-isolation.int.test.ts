import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDocumentIndexer } from "./document-indexer";
import { createOfflineEmbedder } from "./offline-embedder";
import { createRetrievalService } from "./retrieval.service";

/**
 * A reader never retrieves chunks of another organization or of a private project they are not
 * on, and those hidden chunks do not take places in their results either (filtering happens before
 * ranking): every document here says the same thing, so only visibility tells them apart.
 */
let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
const embedder = createOfflineEmbedder();
let retrieval: ReturnType<typeof createRetrievalService>;
let projects: ReturnType<typeof createProjectsService>;
const TEXT = "Our kestrel migration moves every kestrel queue to the new cluster.";
let openDoc: string;
let privateDoc: string;
let globexDoc: string;
let privateProjectId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  retrieval = createRetrievalService(t.db, { embedder });
  projects = createProjectsService(t.db);
  const documents = createDocumentsService(t.db);
  const indexer = createDocumentIndexer(t.db, { embedder });
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  const open = await projects.create(acme.ctx, { name: "Open", description: "" });
  const hidden = await projects.create(acme.ctx, { name: "Secret", description: "", visibility: "private" });
  privateProjectId = hidden.id;
  const elsewhere = await projects.create(globex.ctx, { name: "Globex open", description: "" });
  const create = async (ctx: typeof acme.ctx, projectId: string, title: string) => {
    const doc = await documents.create(ctx, projectId, { title, kind: "rfc", content: TEXT });
    await indexer.indexDocument(ctx, doc.id);
    return doc.id;
  };
  openDoc = await create(acme.ctx, open.id, "Kestrel plan");
  privateDoc = await create(acme.ctx, hidden.id, "Kestrel plan (private)");
  globexDoc = await create(globex.ctx, elsewhere.id, "Kestrel plan at Globex");
});
afterAll(async () => {
  await t?.drop();
});

const found = async (ctx: typeof acme.ctx, limit = 10) =>
  (await retrieval.search(ctx, { query: "kestrel migration cluster", limit })).map((r) => r.sourceId).sort();

describe("retrieval isolation", () => {
  it("shows an owner every project of their organization and nothing of another", async () => {
    expect(await found(acme.ctx)).toEqual([openDoc, privateDoc].sort());
    expect(await found(globex.ctx)).toEqual([globexDoc]);
  });

  it("hides a private project's documents from a member who is not on it, until they are granted access", async () => {
    const member = await acme.addMember("member");
    expect(await found(member)).toEqual([openDoc]);
    // With one result allowed, the hidden document cannot have taken the only place.
    expect(await found(member, 1)).toEqual([openDoc]);
    await expect(retrieval.search(member, { query: "kestrel", projectId: privateProjectId })).resolves.toEqual([]);

    await projects.setAccess(acme.ctx, privateProjectId, {
      visibility: "private",
      userIds: [acme.owner.id, member.user.id],
      groupIds: [],
    });
    expect(await found(member)).toEqual([openDoc, privateDoc].sort());
  });

  it("never returns another organization's chunks, even for that organization's exact title", async () => {
    const results = await retrieval.search(acme.ctx, { query: "Kestrel plan at Globex", limit: 100 });
    expect(results.map((r) => r.sourceId)).not.toContain(globexDoc);
    const ids = await t.db.withTenant(globex.ctx, (tx) =>
      tx.textChunk.findMany({ where: { sourceId: globexDoc }, select: { id: true } }),
    );
    expect(ids.length).toBeGreaterThan(0);
    expect(results.map((r) => r.chunkId)).not.toEqual(expect.arrayContaining(ids.map((r) => r.id)));
  });
});
