/**
 * npm run bench:rag — hybrid retrieval latency (full text + pgvector HNSW, fused) at 10k and 100k
 * chunks in one organization, on the PostgreSQL server (TEST_DATABASE_URL), through
 * createRetrievalService as a member, over the app role's RLS-bound connection (so the
 * organization policy and the project-visibility filter are in every query). Target: p95 under
 * 50 ms at 100k. Prints the machine's load next to the figures. See README.md for the env.
 */
import { loadavg } from "node:os";
import { createOfflineEmbedder, createRetrievalService, type RetrievalService } from "@devflow/ai-rag";
import { summarize } from "../stats";
import { createCorpus } from "./corpus";
import { openFreshFixture, openKeptFixture, type BenchFixture } from "./fixture";
import { measurePhases } from "./phases";

const QUERIES = Number(process.env.BENCH_RAG_QUERIES ?? 300);
const SIZES = (process.env.BENCH_RAG_SIZES ?? "10000,100000").split(",").map(Number);
const ROUNDS = Number(process.env.BENCH_RAG_ROUNDS ?? 1);
const KEPT = process.env.BENCH_RAG_DATABASE;
const PHASES = process.env.BENCH_RAG_PHASES !== "0";
const WARM_UP = 20;

/** One round: QUERIES searches, one after another, after WARM_UP unmeasured ones. */
async function measure(retrieval: RetrievalService, f: BenchFixture, queries: string[]) {
  for (const query of queries.slice(0, WARM_UP)) await retrieval.search(f.member, { query });
  const loadBefore = loadavg()[0]!;
  const samples: number[] = [];
  let hits = 0;
  for (const query of queries) {
    const t0 = performance.now();
    const results = await retrieval.search(f.member, { query, limit: 10 });
    samples.push(performance.now() - t0);
    hits += results.length;
  }
  return {
    ...summarize(samples),
    "avg results": Math.round((hits / queries.length) * 10) / 10,
    "load 1m": `${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`,
  };
}

async function main() {
  const embedder = createOfflineEmbedder();
  const queryStream = createCorpus(7);
  const queries = Array.from({ length: QUERIES }, queryStream.query);
  const rows: Record<string, unknown>[] = [];
  const fresh = KEPT ? null : await openFreshFixture();
  try {
    for (const size of SIZES) {
      const f = fresh ?? (await openKeptFixture(`${KEPT}_${size}`));
      try {
        const started = performance.now();
        const loaded = await f.fillTo(size);
        const loadSeconds = loaded ? Math.round((performance.now() - started) / 100) / 10 : "kept";
        const retrieval = createRetrievalService(f.db, { embedder });
        for (let round = 1; round <= ROUNDS; round++) {
          const result = await measure(retrieval, f, queries);
          rows.push({
            chunks: size,
            round,
            ...result,
            "load+index s": loadSeconds,
            target: size >= 100_000 ? (result.p95 < 50 ? "PASS (p95 < 50 ms)" : "FAIL (p95 ≥ 50 ms)") : "",
          });
          process.stdout.write(`${JSON.stringify(rows.at(-1))}\n`);
        }
        if (PHASES) {
          const phases = await measurePhases(f, embedder, queries);
          process.stdout.write(`phases at ${size} chunks (ms): ${JSON.stringify(phases)}\n`);
        }
      } finally {
        if (!fresh) await f.close();
      }
    }
  } finally {
    await fresh?.close();
  }
  console.table(rows);
}

await main();
process.exit(0);
