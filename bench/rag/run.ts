/**
 * npm run bench:rag — hybrid retrieval latency (full text + pgvector HNSW, fused) at 10k and 100k
 * chunks in one organization, on the PostgreSQL server (TEST_DATABASE_URL), through
 * createRetrievalService as a member (so the project-visibility filter is in every query).
 * Target: p95 under 50 ms at 100k. Prints the machine's load next to the figures.
 *
 * Env: BENCH_RAG_QUERIES (per size, default 300), BENCH_RAG_SIZES (default "10000,100000").
 */
import { loadavg } from "node:os";
import { createOfflineEmbedder, createRetrievalService, hashEmbedding } from "@devflow/ai-rag";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization } from "@devflow/testing";
import { summarize } from "../stats";

const QUERIES = Number(process.env.BENCH_RAG_QUERIES ?? 300);
const SIZES = (process.env.BENCH_RAG_SIZES ?? "10000,100000").split(",").map(Number);
const CHUNKS_PER_DOCUMENT = 10;
const BATCH = 1_000;

/** A seeded generator, so every run searches the same corpus with the same queries. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = random(42);
const SYLLABLES = ["ka", "lo", "mi", "ter", "son", "ex", "ri", "pa", "dun", "vel", "cor", "ish", "an", "bur", "tel", "nox"];
// 8,000 made-up words drawn with a Zipf-like skew: a few are everywhere, most are rare, as in prose.
const VOCABULARY = Array.from({ length: 8_000 }, (_, i) => {
  let word = "";
  for (let n = i + 1; n > 0; n = Math.floor(n / SYLLABLES.length)) word += SYLLABLES[n % SYLLABLES.length];
  return word;
});
const zipfWord = () => VOCABULARY[Math.floor(VOCABULARY.length ** rand()) - 1]!;
const sentence = () => {
  const words = Array.from({ length: 8 + Math.floor(rand() * 10) }, zipfWord).join(" ");
  return `${words[0]!.toUpperCase()}${words.slice(1)}.`;
};
const passage = () => Array.from({ length: 7 + Math.floor(rand() * 5) }, sentence).join(" ");

async function main() {
  await using t = await createTestDatabase("postgres");
  const org = await buildOrganization(t.db, "Bench");
  const projects = createProjectsService(t.db);
  const open = await projects.create(org.ctx, { name: "Platform", description: "" });
  // A private project the member is not on: its chunks are in the index but must be filtered out.
  const hidden = await projects.create(org.ctx, { name: "Secret", description: "", visibility: "private" });
  const member = await org.addMember("member");
  const retrieval = createRetrievalService(t.db, { embedder: createOfflineEmbedder() });

  // Loading into a live HNSW index is slow; drop it, load, rebuild it once per size.
  await t.owner.query(`DROP INDEX IF EXISTS text_chunks_embedding_hnsw_idx`);
  let loaded = 0;
  const rows: Record<string, unknown>[] = [];
  for (const size of SIZES) {
    const started = performance.now();
    while (loaded < size) {
      const docs = Math.min(BATCH / CHUNKS_PER_DOCUMENT, (size - loaded) / CHUNKS_PER_DOCUMENT);
      await loadDocuments(t.owner, org.organization.id, (loaded / BATCH) % 5 === 0 ? hidden.id : open.id, docs, loaded);
      loaded += docs * CHUNKS_PER_DOCUMENT;
    }
    await t.owner.query(`DROP INDEX IF EXISTS text_chunks_embedding_hnsw_idx`);
    await t.owner.query(`SET maintenance_work_mem = '512MB'`);
    await t.owner.query(
      `CREATE INDEX text_chunks_embedding_hnsw_idx ON text_chunks USING hnsw (embedding vector_cosine_ops)`,
    );
    await t.owner.query(`ANALYZE`);
    const loadSeconds = Math.round((performance.now() - started) / 100) / 10;

    const queries = Array.from({ length: QUERIES }, () =>
      Array.from({ length: 2 + Math.floor(rand() * 3) }, zipfWord).join(" "),
    );
    for (const query of queries.slice(0, 20)) await retrieval.search(member, { query }); // warm caches
    const loadBefore = loadavg()[0]!;
    const samples: number[] = [];
    let hits = 0;
    for (const query of queries) {
      const t0 = performance.now();
      const results = await retrieval.search(member, { query, limit: 10 });
      samples.push(performance.now() - t0);
      hits += results.length;
    }
    rows.push({
      chunks: size,
      ...summarize(samples),
      "avg results": Math.round((hits / queries.length) * 10) / 10,
      "load+index s": loadSeconds,
      "load 1m": `${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`,
      target: size >= 100_000 ? (summarize(samples).p95 < 50 ? "PASS (p95 < 50 ms)" : "FAIL (p95 ≥ 50 ms)") : "",
    });
    process.stdout.write(`${JSON.stringify(rows.at(-1))}\n`);
  }
  console.table(rows);
}

/** Documents with CHUNKS_PER_DOCUMENT chunks each, embedded with the offline embedder, in two statements. */
async function loadDocuments(
  owner: TestDatabase["owner"],
  organizationId: string,
  projectId: string,
  count: number,
  offset: number,
) {
  const docs = Array.from({ length: count }, (_, i) => ({ id: crypto.randomUUID(), title: `Design doc ${offset + i}` }));
  await owner.query(
    `INSERT INTO documents (id, organization_id, project_id, title, content, updated_at)
     SELECT d.id, $1::uuid, $2::uuid, d.title, '', now() FROM jsonb_to_recordset($3::jsonb) AS d(id uuid, title text)`,
    [organizationId, projectId, JSON.stringify(docs)],
  );
  const chunks = docs.flatMap((doc) => {
    let offsetInDoc = 0;
    return Array.from({ length: CHUNKS_PER_DOCUMENT }, (_, index) => {
      const content = passage();
      const heading = `${doc.title} › Section ${index + 1}`;
      const chunk = {
        source_id: doc.id,
        chunk_index: index,
        start_offset: offsetInDoc,
        end_offset: offsetInDoc + content.length,
        heading,
        content,
        embedding: `[${hashEmbedding(`${heading}\n${content}`).join(",")}]`,
      };
      offsetInDoc += content.length + 2;
      return chunk;
    });
  });
  await owner.query(
    `INSERT INTO text_chunks (organization_id, project_id, source_type, source_id, source_version, chunk_index,
                              start_offset, end_offset, heading, content, embedding, embedding_model)
     SELECT $1::uuid, $2::uuid, 'document', c.source_id, 0, c.chunk_index, c.start_offset, c.end_offset,
            c.heading, c.content, c.embedding::vector, 'offline-hashing-384'
       FROM jsonb_to_recordset($3::jsonb)
         AS c(source_id uuid, chunk_index int, start_offset int, end_offset int, heading text, content text, embedding text)`,
    [organizationId, projectId, JSON.stringify(chunks)],
  );
}

await main();
process.exit(0);
