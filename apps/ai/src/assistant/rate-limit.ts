import { AppError } from "@devflow/util-core";

/**
 * A fixed-window limit per key (the person), in this process: with several ai instances each
 * allows its own share, which still bounds what one person can spend on a model.
 */
export function createRateLimiter({
  limit,
  windowMs,
  maxKeys = 50_000,
}: {
  limit: number;
  windowMs: number;
  maxKeys?: number;
}) {
  const windows = new Map<string, { count: number; resetAt: number }>();
  return {
    /** Counts one request for `key`; throws `rate_limited` (429) past the window's limit. */
    consume(key: string, now = Date.now()): void {
      let window = windows.get(key);
      if (!window || window.resetAt <= now) {
        if (windows.size >= maxKeys) {
          for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k);
        }
        window = { count: 0, resetAt: now + windowMs };
        windows.set(key, window);
      }
      window.count += 1;
      if (window.count > limit) {
        const retryAfterSeconds = Math.ceil((window.resetAt - now) / 1000);
        throw new AppError(
          "rate_limited",
          `You asked ${limit} questions in a minute; try again in ${retryAfterSeconds} s.`,
          {
            report: false,
            details: { retryAfterSeconds },
          },
        );
      }
    },
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;
