import { DORA_DAILY_SERIES_DAYS_MAX, type DoraDurationStatsDto } from "@devflow/contracts";

export const DAY_MS = 86_400_000;

/**
 * The `p` quantile (0…1) of `values` by linear interpolation between the closest ranks, as
 * Postgres' `percentile_cont` computes it (the AI activity page uses that one): the median of
 * [1, 2, 3, 4] is 2.5. Null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.ceil(rank);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (rank - below);
}

/** Count, median and 90th percentile of some durations. */
export function durationStats(values: readonly number[]): DoraDurationStatsDto {
  return { count: values.length, medianMs: percentile(values, 0.5), p90Ms: percentile(values, 0.9) };
}

/** The span between two times, never negative (a clock's or a workflow's order is not guaranteed). */
export function elapsed(from: Date, to: Date): number {
  return Math.max(0, to.getTime() - from.getTime());
}

export interface Bucket {
  start: Date;
  /** Exclusive. */
  end: Date;
}

/**
 * The series' buckets over [from, to): one per UTC day for windows up to DORA_DAILY_SERIES_DAYS_MAX
 * days, else 7 days each counted from `from` (the last one ends at `to`, so may be shorter).
 */
export function bucketsOf(from: Date, to: Date): { granularity: "day" | "week"; buckets: Bucket[] } {
  const days = Math.round((to.getTime() - from.getTime()) / DAY_MS);
  const granularity = days <= DORA_DAILY_SERIES_DAYS_MAX ? "day" : "week";
  const size = (granularity === "day" ? 1 : 7) * DAY_MS;
  const buckets: Bucket[] = [];
  for (let start = from.getTime(); start < to.getTime(); start += size) {
    buckets.push({ start: new Date(start), end: new Date(Math.min(start + size, to.getTime())) });
  }
  return { granularity, buckets };
}

/** `at` is within [from, to) of a window, or [start, end) of a bucket. */
export function isWithin(at: Date | null, span: { from: Date; to: Date } | Bucket): boolean {
  const [from, to] = "from" in span ? [span.from, span.to] : [span.start, span.end];
  return at !== null && at >= from && at < to;
}

/** YYYY-MM-DD of a UTC midnight. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}
