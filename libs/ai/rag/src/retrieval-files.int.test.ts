import { randomUUID } from "node:crypto";
import type { RequestContext } from "@devflow/auth";
import type { Tx } from "@devflow/db";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunkMarkdown } from "./chunker";
import { sourceTypeArray, uuidArray, visibleChunksSql } from "./chunks.repository";
import { createDocumentIndexer } from "./document-indexer";
import { createOfflineEmbedder } from "./offline-embedder";
import { createPgvectorStore } from "./pgvector-store";
import { createRetrievalService } from "./retrieval.service";

/**
 * Uploaded files are searchable like documents: the file processor writes a ready file's passages
 * as `source_type = 'file'` chunks through the VectorStore, and retrieval finds them when the file
 * is ready, not archived, in a live project the reader may see, in the reader's organization, and
 * never otherwise. Files are written here the way the processor writes them (row, then
 * `replaceSource` with `chunkMarkdown(text, { title: name })`), without the blob store.
 */
let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let member: RequestContext;
const embedder = createOfflineEmbedder();
const store = createPgvectorStore();
let retrieval: ReturnType<typeof createRetrievalService>;
let openProjectId: string;
let privateProjectId: string;
let globexProjectId: string;

const TEXT = "# Wombat runbook\n\nRestart the wombat queue workers before draining the backlog.";

beforeAll(async () => {
  t = await createTestDatabase();
  retrieval = createRetrievalService(t.db, { embedder });
  const projects = createProjectsService(t.db);
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  member = await acme.addMember("member");
  openProjectId = (await projects.create(acme.ctx, { name: "Open", description: "" })).id;
  privateProjectId = (await projects.create(acme.ctx, { name: "Secret", description: "", visibility: "private" })).id;
  globexProjectId = (await projects.create(globex.ctx, { name: "Globex open", description: "" })).id;
});
afterAll(async () => {
  await t?.drop();
});

interface FileFixture {
  ctx?: RequestContext;
  projectId?: string;
  name: string;
  text?: string;
  status?: "pending" | "processing" | "ready" | "failed";
  isArchived?: boolean;
}

/** A files row and its chunks, as the file processor leaves them (chunks are written whatever the status, to prove the status filters). */
async function uploadedFile(fixture: FileFixture): Promise<string> {
  const ctx = fixture.ctx ?? acme.ctx;
  const text = fixture.text ?? TEXT;
  const id = randomUUID();
  const drafts = chunkMarkdown(text, { title: fixture.name });
  const vectors = await embedder.embed(drafts.map((c) => `${c.heading}\n${c.content}`));
  await t.db.withTenant(ctx, async (tx) => {
    await tx.file.create({
      data: {
        id,
        organizationId: ctx.organizationId,
        projectId: fixture.projectId ?? openProjectId,
        name: fixture.name,
        contentType: "text/markdown",
        sizeBytes: BigInt(text.length),
        sha256: "0".repeat(64),
        storageKey: `${ctx.organizationId}/files/${id}`,
        kind: "markdown",
        status: fixture.status ?? "ready",
        extractedText: text,
        ...(fixture.isArchived && { archivedAt: new Date() }),
      },
    });
    await store.replaceSource(
      tx,
      {
        organizationId: ctx.organizationId,
        projectId: fixture.projectId ?? openProjectId,
        sourceType: "file",
        sourceId: id,
        sourceVersion: 1,
      },
      drafts.map((draft, i) => ({ ...draft, embedding: vectors[i] ?? null })),
      embedder.model,
    );
  });
  return id;
}

const sourcesFound = async (
  ctx: RequestContext,
  query: string,
  extra: { sourceTypes?: ("document" | "file")[] } = {},
) => (await retrieval.search(ctx, { query, limit: 50, ...extra })).map((r) => r.sourceId);

describe("retrieval over uploaded files", () => {
  it("finds a ready file's passage as a file source, titled with the file's name, at version 1", async () => {
    const fileId = await uploadedFile({ name: "okapi-runbook.md", text: TEXT.replaceAll("wombat", "okapi") });
    const [best] = await retrieval.search(member, { query: "restart okapi queue workers" });
    expect(best).toMatchObject({
      sourceType: "file",
      sourceId: fileId,
      sourceVersion: 1,
      projectId: openProjectId,
      title: "okapi-runbook.md",
    });
    const [file] = await t.db.withTenant(acme.ctx, (tx) =>
      tx.file.findMany({ where: { id: fileId }, select: { extractedText: true } }),
    );
    expect(file!.extractedText!.slice(best!.startOffset, best!.endOffset)).toBe(best!.content);
    // By the file's name alone, too: the name heads every chunk as a document's title does.
    expect((await retrieval.search(member, { query: "okapi-runbook.md" }))[0]?.sourceId).toBe(fileId);
  });

  it("does not find a file that is still processing, failed, or archived", async () => {
    const text = TEXT.replaceAll("wombat", "quagga");
    const ready = await uploadedFile({ name: "quagga.md", text });
    const pending = await uploadedFile({ name: "quagga-pending.md", text, status: "pending" });
    const processing = await uploadedFile({ name: "quagga-processing.md", text, status: "processing" });
    const failed = await uploadedFile({ name: "quagga-failed.md", text, status: "failed" });
    const archived = await uploadedFile({ name: "quagga-archived.md", text, isArchived: true });
    const found = await sourcesFound(acme.ctx, "quagga queue workers backlog");
    expect(found).toContain(ready);
    for (const hidden of [pending, processing, failed, archived]) expect(found).not.toContain(hidden);
    // With one place, a hidden file whose name matches better cannot have taken it.
    const [only] = await retrieval.search(acme.ctx, { query: "quagga failed", limit: 1 });
    expect(only?.sourceId).toBe(ready);
  });

  it("does not find a file in an archived project", async () => {
    const projects = createProjectsService(t.db);
    const project = await projects.create(acme.ctx, { name: "Old", description: "" });
    const fileId = await uploadedFile({
      name: "tapir.md",
      text: TEXT.replaceAll("wombat", "tapir"),
      projectId: project.id,
    });
    expect(await sourcesFound(acme.ctx, "tapir")).toEqual([fileId]);
    await t.db.withTenant(acme.ctx, (tx) =>
      tx.project.update({ where: { id: project.id }, data: { archivedAt: new Date() } }),
    );
    expect(await sourcesFound(acme.ctx, "tapir")).toEqual([]);
  });

  it("hides a private project's file from a member who is not on it, and takes no place in their results", async () => {
    const text = TEXT.replaceAll("wombat", "numbat");
    const open = await uploadedFile({ name: "numbat.md", text });
    const secret = await uploadedFile({ name: "numbat (secret).md", text, projectId: privateProjectId });
    expect((await sourcesFound(acme.ctx, "numbat")).sort()).toEqual([open, secret].sort());
    expect(await sourcesFound(member, "numbat")).toEqual([open]);
    const [only] = await retrieval.search(member, { query: "numbat secret", limit: 1 });
    expect(only?.sourceId).toBe(open);
    await expect(retrieval.search(member, { query: "numbat", projectId: privateProjectId })).resolves.toEqual([]);
  });

  it("never returns another organization's file, even for its exact name", async () => {
    const text = TEXT.replaceAll("wombat", "dugong");
    const globexFile = await uploadedFile({
      ctx: globex.ctx,
      projectId: globexProjectId,
      name: "dugong-globex.md",
      text,
    });
    expect(await sourcesFound(globex.ctx, "dugong")).toEqual([globexFile]);
    expect(await sourcesFound(acme.ctx, "dugong")).toEqual([]);
    expect(await sourcesFound(acme.ctx, "dugong-globex.md dugong queue")).not.toContain(globexFile);
    // Nor through the full-text function with Globex's project named, or by id in any arm.
    const ranked = await t.db.withTenant(acme.ctx, (tx) =>
      tx.$queryRawUnsafe<{ id: string }[]>(
        `SELECT id::text AS id FROM rank_text_chunks('dugong', $1::uuid[], $2::uuid, '{document,file}', 1000, 1000)`,
        `{${globexProjectId}}`,
        globexProjectId,
      ),
    );
    expect(ranked).toEqual([]);
  });

  it("searches only the source types asked for", async () => {
    const text = TEXT.replaceAll("wombat", "pangolin");
    const fileId = await uploadedFile({ name: "pangolin.md", text });
    const doc = await createDocumentsService(t.db).create(acme.ctx, openProjectId, {
      title: "Pangolin plan",
      kind: "design_doc",
      content: text,
    });
    await createDocumentIndexer(t.db, { embedder }).indexDocument(acme.ctx, doc.id);
    expect((await sourcesFound(acme.ctx, "pangolin")).sort()).toEqual([fileId, doc.id].sort());
    expect(await sourcesFound(acme.ctx, "pangolin", { sourceTypes: ["document"] })).toEqual([doc.id]);
    expect(await sourcesFound(acme.ctx, "pangolin", { sourceTypes: ["file"] })).toEqual([fileId]);
    const results = await retrieval.search(acme.ctx, { query: "pangolin" });
    expect(results.find((r) => r.sourceId === doc.id)?.sourceType).toBe("document");
    expect(results.find((r) => r.sourceId === fileId)?.sourceType).toBe("file");
  });
});

/**
 * The visibility probe (documents UNION ALL files, keyed on source_type) must leave the index scans
 * driving: HNSW for the vector arm as the app role, GIN for the full-text function as its role.
 * Planned with a few thousand file chunks in one organization, as in rank_text_chunks' own plan test.
 */
describe("query plans with files", () => {
  // Building the HNSW index over 3,000 vectors takes a while on PGlite (wasm).
  it("keeps the HNSW and GIN index scans in front of the visibility probe", { timeout: 120_000 }, async (test) => {
    const [owner] = await t.owner.query<{ superuser: boolean }>(
      `SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`,
    );
    // Planning as the function's role needs SET ROLE, which only a superuser owner may do without membership.
    if (!owner?.superuser) test.skip("the test database's owner is not a superuser");
    // One passage among 3,000 file chunks (300 files of 10): an index lookup, then one probe.
    const initech = await buildOrganization(t.db, "Initech");
    const projectId = (await createProjectsService(t.db).create(initech.ctx, { name: "Big", description: "" })).id;
    await t.db.withTenant(initech.ctx, async (tx) => {
      await tx.$executeRawUnsafe(
        `INSERT INTO files (organization_id, project_id, name, content_type, size_bytes, sha256, storage_key, status)
         SELECT $1::uuid, $2::uuid, 'file-' || g || '.md', 'text/markdown', 1000, '', 'k' || g, 'ready'
           FROM generate_series(1, 300) g`,
        initech.organization.id,
        projectId,
      );
      await tx.$executeRawUnsafe(
        `INSERT INTO text_chunks (organization_id, project_id, source_type, source_id, source_version, chunk_index,
                                  start_offset, end_offset, content, embedding, embedding_model)
         SELECT f.organization_id, f.project_id, 'file', f.id, 1, g, 0, 1000,
                repeat('filler passage ', 60) || (split_part(split_part(f.name, '-', 2), '.', 1)::int * 100 + g),
                (SELECT array_agg(sin(g * 7 + i + length(f.name)))::real[]::vector FROM generate_series(1, 384) i),
                $1
           FROM files f CROSS JOIN generate_series(1, 10) g`,
        embedder.model,
      );
    });
    await t.owner.exec(`ANALYZE text_chunks; ANALYZE files; ANALYZE documents; ANALYZE projects`);

    const vectorPlan = await t.db.withTenant(initech.ctx, async (tx: Tx) => {
      const rows = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
        `EXPLAIN (COSTS OFF)
         SELECT c.id FROM ${visibleChunksSql("$2", "$3", "$4")} AND c.embedding_model = $5
          ORDER BY c.embedding <=> $1::vector LIMIT 50`,
        `[${Array.from({ length: 384 }, (_, i) => Math.cos(i)).join(",")}]`,
        uuidArray([projectId]),
        null,
        sourceTypeArray(["document", "file"]),
        embedder.model,
      );
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
    expect(vectorPlan).toMatch(/Index Scan using text_chunks_embedding_hnsw_idx/);
    expect(vectorPlan).toMatch(/files_pkey|files_organization_id/);

    const [fn] = await t.owner.query<{ src: string }>(
      `SELECT prosrc AS src FROM pg_proc WHERE proname = 'rank_text_chunks'`,
    );
    const query = fn!.src.split("$sql$")[1]!;
    await t.owner.exec("BEGIN");
    try {
      await t.owner.query(
        `SELECT set_config('role', 'devflow_text_search', true), set_config('app.current_organization', $1, true)`,
        [initech.organization.id],
      );
      await t.owner.exec(
        `PREPARE ranked_files_plan(uuid, tsquery, tsquery, chunk_source[], uuid[], uuid, int, int) AS ${query}`,
      );
      const rows = await t.owner.query<{ "QUERY PLAN": string }>(
        `EXPLAIN (COSTS OFF) EXECUTE ranked_files_plan('${initech.organization.id}', to_tsquery('english', '1703'),
                                                        NULL, '{document,file}', NULL, NULL, 10, 1000)`,
      );
      const textPlan = rows.map((r) => r["QUERY PLAN"]).join("\n");
      expect(textPlan).toMatch(/Bitmap Index Scan on text_chunks_search_vector_idx/);
      expect(textPlan).toMatch(/files_pkey|files_organization_id/);
    } finally {
      await t.owner.exec("ROLLBACK");
      await t.owner.exec("DEALLOCATE ranked_files_plan");
    }
  });
});
