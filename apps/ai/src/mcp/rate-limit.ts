export interface RateLimitOptions {
  /** Requests allowed at once. */
  burst: number;
  /** Requests regained per second. */
  perSecond: number;
  /** Keys remembered at most; the least recently seen are forgotten first. */
  maxKeys?: number;
  now?: () => number;
}

/**
 * A token bucket per key (an API token's id), in memory. Per instance, like the assistant's and
 * collab's limits: with N instances a client gets N times the rate at most, which is what it is
 * for — to stop a runaway agent loop, not to meter.
 */
export function createKeyedRateLimit({ burst, perSecond, maxKeys = 10_000, now = Date.now }: RateLimitOptions) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    /** Takes one request from `key`'s bucket: 0 when allowed, else the seconds until one is. */
    take(key: string): number {
      const at = now();
      const previous = buckets.get(key);
      const tokens = previous ? Math.min(burst, previous.tokens + ((at - previous.at) / 1000) * perSecond) : burst;
      buckets.delete(key);
      if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
      if (tokens < 1) {
        buckets.set(key, { tokens, at });
        return Math.ceil((1 - tokens) / perSecond);
      }
      buckets.set(key, { tokens: tokens - 1, at });
      return 0;
    },
  };
}
