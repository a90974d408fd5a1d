/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): each list contributes
 * 1 / (k + rank) for every item it ranks, so an item near the top of both lists beats one at the
 * top of only one, and the lists' raw scores (ts_rank_cd, cosine distance) never need calibrating
 * against each other. k = 60 is the paper's value.
 */
export const RRF_K = 60;

export interface FusedItem {
  id: string;
  score: number;
  /** 1-based rank in each input list, or null when the list did not contain the item. */
  ranks: (number | null)[];
}

/** Fuses ranked id lists (best first) into one list, best first; ties keep first-seen order. */
export function reciprocalRankFusion(lists: readonly (readonly string[])[], k = RRF_K): FusedItem[] {
  const fused = new Map<string, FusedItem>();
  lists.forEach((list, listIndex) => {
    const seen = new Set<string>();
    list.forEach((id, position) => {
      // A list that repeats an id counts it once, at its best rank.
      if (seen.has(id)) return;
      seen.add(id);
      let item = fused.get(id);
      if (!item) {
        item = { id, score: 0, ranks: lists.map(() => null) };
        fused.set(id, item);
      }
      item.ranks[listIndex] = position + 1;
      item.score += 1 / (k + position + 1);
    });
  });
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
