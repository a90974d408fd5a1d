/**
 * Where a search's time goes: each part timed on its own, in its own tenant transaction as the
 * member (so each includes withTenant's BEGIN/settings/COMMIT round trips and the visibility
 * lookup, except `embed`). Parts overlap, so they do not add up to the search's figure; they show
 * which part to work on.
 */
import { createPgvectorStore, type Embedder } from "@devflow/ai-rag";
import { listVisibleProjectIds } from "@devflow/domain-projects";
import { summarize } from "../stats";
import type { BenchFixture } from "./fixture";

const CANDIDATES = 50;

export async function measurePhases(f: BenchFixture, embedder: Embedder, queries: string[]) {
  const store = createPgvectorStore();
  const times: Record<"embed" | "visibility" | "text arm" | "vector arm", number[]> = {
    embed: [],
    visibility: [],
    "text arm": [],
    "vector arm": [],
  };
  const time = async <T>(phase: keyof typeof times, fn: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const result = await fn();
    times[phase].push(performance.now() - t0);
    return result;
  };
  for (const query of queries) {
    const [vector] = await time("embed", () => embedder.embed([query]));
    await time("visibility", () => f.db.withTenant(f.member, (tx) => listVisibleProjectIds(tx, f.member)));
    // The text arm's one statement, as chunks.repository's rankByText sends it.
    await time("text arm", () =>
      f.db.withTenant(f.member, async (tx) => {
        const visible = await listVisibleProjectIds(tx, f.member);
        return tx.$queryRawUnsafe(
          `SELECT id FROM rank_text_chunks($1, $2::uuid[], NULL, '{document}', $3::int, 1000) ORDER BY tier, rank DESC, id`,
          query,
          visible && `{${visible.join(",")}}`,
          CANDIDATES,
        );
      }),
    );
    await time("vector arm", () =>
      f.db.withTenant(f.member, async (tx) => {
        const visibleProjectIds = await listVisibleProjectIds(tx, f.member);
        return store.nearest(tx, {
          vector: vector!,
          model: embedder.model,
          limit: CANDIDATES,
          minSimilarity: embedder.minSimilarity,
          filter: { visibleProjectIds, projectId: null, sourceTypes: ["document"] },
        });
      }),
    );
  }
  return Object.fromEntries(
    Object.entries(times).map(([phase, samples]) => {
      const { p50, p95, p99 } = summarize(samples);
      return [phase, { p50, p95, p99 }];
    }),
  );
}
