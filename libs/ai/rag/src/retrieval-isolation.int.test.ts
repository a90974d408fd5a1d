import type { Tx } from "@devflow/db";
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
let globexProjectId: string;
let openProjectId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  retrieval = createRetrievalService(t.db, { embedder });
  projects = createProjectsService(t.db);
  const documents = createDocumentsService(t.db);
  const indexer = createDocumentIndexer(t.db, { embedder });
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  const open = await projects.create(acme.ctx, { name: "Open", description: "" });
  openProjectId = open.id;
  const hidden = await projects.create(acme.ctx, { name: "Secret", description: "", visibility: "private" });
  privateProjectId = hidden.id;
  const elsewhere = await projects.create(globex.ctx, { name: "Globex open", description: "" });
  globexProjectId = elsewhere.id;
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

/**
 * rank_text_chunks, the full-text arm's SQL function, runs as devflow_text_search: a role the
 * text_chunks policies let read every organization's rows, so that the GIN index can be used.
 * Here it is called directly, as the app role, with every argument a caller controls, trying to
 * reach Globex's chunks from Acme's transaction. Only the transaction's organization may answer.
 */
describe("rank_text_chunks (full-text arm under its own role)", () => {
  const rank = (
    ctx: { organizationId: string } | "system",
    args: { query?: string; visible?: string[] | null; project?: string | null; limit?: number; candidates?: number },
  ) => {
    const call = (tx: Tx) =>
      tx.$queryRawUnsafe<{ id: string }[]>(
        `SELECT id::text AS id FROM rank_text_chunks($1, $2::uuid[], $3::uuid, '{document}', $4::int, $5::int)`,
        args.query ?? "kestrel migration cluster",
        args.visible === undefined || args.visible === null ? null : `{${args.visible.join(",")}}`,
        args.project ?? null,
        args.limit ?? 100,
        args.candidates ?? 1000,
      );
    return ctx === "system"
      ? t.db.withSystem("test: rank_text_chunks without an organization", call)
      : t.db.withTenant(ctx, call);
  };
  const chunkIdsOf = (ctx: typeof acme.ctx, sourceId: string) =>
    t.db.withTenant(ctx, async (tx) =>
      (await tx.textChunk.findMany({ where: { sourceId }, select: { id: true } })).map((r) => r.id),
    );

  it("ranks only the transaction's organization, whatever projects the caller names", async () => {
    const globexChunks = await chunkIdsOf(globex.ctx, globexDoc);
    expect((await rank(globex.ctx, {})).map((r) => r.id)).toEqual(expect.arrayContaining(globexChunks));

    const asAcme = [
      await rank(acme.ctx, {}),
      await rank(acme.ctx, { query: "Kestrel plan at Globex" }),
      // Globex's project as the visible list and as the one project: still Acme's rows or none.
      await rank(acme.ctx, { visible: [globexProjectId] }),
      await rank(acme.ctx, { project: globexProjectId }),
      await rank(acme.ctx, { visible: null, project: globexProjectId, limit: 1_000_000, candidates: 1_000_000 }),
    ].flatMap((rows) => rows.map((r) => r.id));
    expect(asAcme.length).toBeGreaterThan(0);
    expect(asAcme.filter((id) => globexChunks.includes(id))).toEqual([]);
    expect(await rank(acme.ctx, { project: globexProjectId })).toEqual([]);
  });

  it("answers nothing without an organization, even with cross-tenant system access on", async () => {
    expect(await rank("system", {})).toEqual([]);
  });

  it("reaches exactly the chunks row-level security lets the transaction read, and none once the organization is unset", async () => {
    const [viaFunction, viaPolicies, afterUnset] = await t.db.withTenant(acme.ctx, async (tx) => {
      const ranked = `SELECT id::text AS id FROM rank_text_chunks('kestrel', NULL, NULL, '{document}', 1000, 1000)`;
      const byFunction = await tx.$queryRawUnsafe<{ id: string }[]>(ranked);
      const byPolicies = await tx.$queryRawUnsafe<{ id: string }[]>(
        `SELECT id::text AS id FROM text_chunks WHERE search_vector @@ to_tsquery('english', 'kestrel')`,
      );
      await tx.$executeRawUnsafe(`SELECT set_config('app.current_organization', '', true)`);
      return [byFunction, byPolicies, await tx.$queryRawUnsafe<{ id: string }[]>(ranked)];
    });
    expect(viaFunction.map((r) => r.id).sort()).toEqual(viaPolicies.map((r) => r.id).sort());
    expect(viaFunction.length).toBeGreaterThan(0);
    expect(afterUnset).toEqual([]);
  });

  it("filters by project before ranking: a private chunk that would rank first cannot take the only place", async () => {
    const privateChunks = await chunkIdsOf(acme.ctx, privateDoc);
    const openChunks = await chunkIdsOf(acme.ctx, openDoc);
    // Every word of this query is in the private document's title; the open one lacks "private".
    const query = "kestrel plan private";
    expect((await rank(acme.ctx, { query, limit: 1 })).map((r) => r.id)).toEqual([privateChunks[0]]);
    expect((await rank(acme.ctx, { query, visible: [openProjectId], limit: 1 })).map((r) => r.id)).toEqual([
      openChunks[0],
    ]);
  });

  it("is the only way in: the app role cannot become its role, PUBLIC cannot call it, its role reads only ranking columns", async () => {
    // On PGlite the one connection is a superuser that withTenant only SET ROLEs down from, so
    // there no role is a boundary against code in the process; on a server it is.
    if (t.target === "postgres") {
      await expect(
        t.db.withTenant(acme.ctx, (tx) => tx.$executeRawUnsafe(`SET LOCAL ROLE devflow_text_search`)),
      ).rejects.toThrow(/permission denied/);
    }
    const [grants] = await t.owner.query<{ public: boolean; app: boolean; content: boolean; members: number }>(
      `SELECT has_function_privilege('devflow_app', p.oid, 'EXECUTE') AS app,
              coalesce(array_to_string(p.proacl, ',') ~ '(^|,)=X', true) AS public,
              has_column_privilege('devflow_text_search', 'text_chunks', 'content', 'SELECT') AS content,
              (SELECT count(*)::int FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
                WHERE r.rolname = 'devflow_text_search') AS members
         FROM pg_proc p WHERE p.proname = 'rank_text_chunks'`,
    );
    // Executable by the app role only (not PUBLIC); its role reads only the ranking columns and
    // has no members, so the policy that lets it read every row applies to nobody else.
    expect(grants).toEqual({ app: true, public: false, content: false, members: 0 });
  });
});

/**
 * Why the function exists: row-level security keeps `@@` (not leakproof) from being an index
 * condition for the app role, so every full-text search read the organization's whole table. As
 * the function's role, with no policy qual left to order before it, the GIN index is usable.
 * The function's query is planned here as each role, with enough rows that an index pays.
 */
describe("rank_text_chunks query plan", () => {
  it("uses the full-text GIN index as the function's role, which row-level security denies the app role", async (test) => {
    const [owner] = await t.owner.query<{ superuser: boolean }>(
      `SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`,
    );
    // Planning as another role needs SET ROLE, which only a superuser owner may do without membership.
    if (!owner?.superuser) test.skip("the test database's owner is not a superuser");
    const initech = await buildOrganization(t.db, "Initech");
    await t.db.withTenant(initech.ctx, (tx) =>
      tx.$executeRawUnsafe(
        `INSERT INTO text_chunks (organization_id, source_type, source_id, source_version, chunk_index,
                                  start_offset, end_offset, content)
         SELECT $1::uuid, 'document', gen_random_uuid(), 0, 0, 0, 1000, repeat('filler passage ', 60) || g
           FROM generate_series(1, 3000) g`,
        initech.organization.id,
      ),
    );
    await t.owner.exec(`ANALYZE text_chunks`);
    const [fn] = await t.owner.query<{ src: string }>(
      `SELECT prosrc AS src FROM pg_proc WHERE proname = 'rank_text_chunks'`,
    );
    const query = fn!.src.split("$sql$")[1]!;

    // One passage among Initech's 3,000: an index lookup, unless the planner may not use the index.
    const planAs = async (role: string) => {
      await t.owner.exec("BEGIN");
      try {
        await t.owner.query(`SELECT set_config('role', $1, true), set_config('app.current_organization', $2, true)`, [
          role,
          initech.organization.id,
        ]);
        await t.owner.exec(
          `PREPARE ranked_plan(uuid, tsquery, tsquery, chunk_source[], uuid[], uuid, int, int) AS ${query}`,
        );
        const rows = await t.owner.query<{ "QUERY PLAN": string }>(
          `EXPLAIN (COSTS OFF) EXECUTE ranked_plan('${initech.organization.id}', to_tsquery('english', '1234'), NULL,
                                                   '{document}', NULL, NULL, 10, 1000)`,
        );
        return rows.map((r) => r["QUERY PLAN"]).join("\n");
      } finally {
        await t.owner.exec("ROLLBACK");
        // A prepared statement outlives the transaction.
        await t.owner.exec("DEALLOCATE ranked_plan");
      }
    };
    expect(await planAs("devflow_text_search")).toMatch(/Bitmap Index Scan on text_chunks_search_vector_idx/);
    expect(
      await planAs("devflow_app"),
      "PostgreSQL now uses the GIN index under RLS: ts_match_vq may have become leakproof, and rank_text_chunks could run as the caller",
    ).not.toMatch(/text_chunks_search_vector_idx/);
  });
});
