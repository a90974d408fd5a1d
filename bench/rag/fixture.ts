/**
 * The bench's database: one organization with an open project and a private one (20% of the
 * chunks) the searching member is not on, filled with `size` chunks. Searches go through the app
 * role's connection (RLS-bound, like the apps); the owner connection only loads data and builds
 * the HNSW index.
 *
 * Fresh by default: a throwaway database per run, loaded incrementally from one size to the next.
 * With BENCH_RAG_DATABASE=<name> each size gets a kept database `<name>_<size>`, loaded only the
 * first time and migrated on every run, so repeated measurements skip the minutes of loading.
 */
import type { RequestContext } from "@devflow/auth";
import { connectDatabase, type Database } from "@devflow/db";
import { migratePostgres, withDatabaseName, withRole, type SqlExecutor, pgExecutor } from "@devflow/db/migrations";
import { createTestDatabase, testServerUrl, type TestDatabase } from "@devflow/db/testing";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, contextFor } from "@devflow/testing";
import pg from "pg";
import { CHUNKS_PER_DOCUMENT, createCorpus, loadDocuments } from "./corpus";

const BATCH_DOCUMENTS = 100;

export interface BenchFixture {
  db: Database;
  owner: SqlExecutor;
  member: RequestContext;
  /** Adds chunks until the organization has `size`, then rebuilds the HNSW index; false if it already had them. */
  fillTo(size: number): Promise<boolean>;
  close(): Promise<void>;
}

interface Ids {
  organizationId: string;
  memberId: string;
  openProjectId: string;
  hiddenProjectId: string;
}

/** A throwaway database, filled size after size. */
export async function openFreshFixture(): Promise<BenchFixture> {
  const t = await createTestDatabase("postgres");
  return fixture(t.db, t.owner, await arrange(t.db), () => t.drop());
}

/** The kept database for one size (created, migrated and arranged as needed). */
export async function openKeptFixture(name: string): Promise<BenchFixture> {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`BENCH_RAG_DATABASE must be a plain name, got "${name}"`);
  const server = testServerUrl();
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])).rowCount;
  if (!exists) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();

  const ownerUrl = withDatabaseName(server, name);
  await migratePostgres(ownerUrl);
  const ownerClient = new pg.Client({ connectionString: ownerUrl });
  await ownerClient.connect();
  const owner = pgExecutor(ownerClient);
  await owner.exec(`CREATE TABLE IF NOT EXISTS bench_rag_fixture (id int PRIMARY KEY, ids jsonb NOT NULL)`);
  const db = await connectDatabase({
    databaseUrl: withDatabaseName(withRole(server, "devflow_app", process.env.TEST_APP_DATABASE_PASSWORD), name),
    poolMax: 5,
  });
  let [row] = await owner.query<{ ids: Ids }>(`SELECT ids FROM bench_rag_fixture WHERE id = 1`);
  if (!row) {
    row = { ids: await arrange(db) };
    await owner.query(`INSERT INTO bench_rag_fixture (id, ids) VALUES (1, $1::jsonb)`, [JSON.stringify(row.ids)]);
  }
  return fixture(db, owner, row.ids, async () => {
    await db.close();
    await ownerClient.end();
  });
}

async function arrange(db: TestDatabase["db"]): Promise<Ids> {
  const org = await buildOrganization(db, "Bench");
  const projects = createProjectsService(db);
  const open = await projects.create(org.ctx, { name: "Platform", description: "" });
  // A private project the member is not on: its chunks are in the index but must be filtered out.
  const hidden = await projects.create(org.ctx, { name: "Secret", description: "", visibility: "private" });
  const member = await org.addMember("member");
  return {
    organizationId: org.organization.id,
    memberId: member.actor.userId,
    openProjectId: open.id,
    hiddenProjectId: hidden.id,
  };
}

function fixture(db: Database, owner: SqlExecutor, ids: Ids, close: () => Promise<void>): BenchFixture {
  // The text stream is seeded per fixture; a kept database continues where it stopped only in
  // distribution, not in exact words, which is all the latency figures depend on.
  const corpus = createCorpus(42);
  return {
    db,
    owner,
    member: contextFor(ids.organizationId, ids.memberId, "member"),
    async fillTo(size) {
      await owner.exec(`SELECT set_config('app.system_access', 'on', false)`);
      const [{ n }] = (await owner.query<{ n: number }>(`SELECT count(*)::int AS n FROM text_chunks`)) as [
        { n: number },
      ];
      if (n >= size) return false;
      // Loading into a live HNSW index is slow: drop it, load, rebuild it once.
      await owner.exec(`DROP INDEX IF EXISTS text_chunks_embedding_hnsw_idx`);
      for (let loaded = n; loaded < size;) {
        const count = Math.min(BATCH_DOCUMENTS, (size - loaded) / CHUNKS_PER_DOCUMENT);
        const hidden = (loaded / (BATCH_DOCUMENTS * CHUNKS_PER_DOCUMENT)) % 5 === 0;
        await loadDocuments(owner, corpus.passage, {
          organizationId: ids.organizationId,
          projectId: hidden ? ids.hiddenProjectId : ids.openProjectId,
          count,
          offset: loaded / CHUNKS_PER_DOCUMENT,
        });
        loaded += count * CHUNKS_PER_DOCUMENT;
      }
      await owner.exec(`SET maintenance_work_mem = '512MB'`);
      await owner.exec(
        `CREATE INDEX text_chunks_embedding_hnsw_idx ON text_chunks USING hnsw (embedding vector_cosine_ops)`,
      );
      // Steady state, as autovacuum would leave it: visibility map set, GIN pending list merged.
      await owner.exec(`VACUUM ANALYZE`);
      return true;
    },
    close,
  };
}
