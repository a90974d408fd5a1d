import { AppError } from "@devflow/util-core";

/**
 * A fixed-window limiter per key, in this process. Enough for one web instance; with several, each
 * allows its own share, which still bounds brute force. Windows are swept as they expire so the map
 * cannot grow without bound.
 */
export function createRateLimiter({
  limit,
  windowMs,
  maxKeys = 50_000,
  what = "attempts",
}: {
  limit: number;
  windowMs: number;
  maxKeys?: number;
  /** Named in the error: "Too many <what>". */
  what?: string;
}) {
  const windows = new Map<string, { count: number; resetAt: number }>();

  function sweep(now: number) {
    for (const [key, window] of windows) if (window.resetAt <= now) windows.delete(key);
  }

  return {
    /** Counts one attempt for `key`; throws `rate_limited` (429) once the window's limit is passed. */
    consume(key: string, now = Date.now()): void {
      let window = windows.get(key);
      if (!window || window.resetAt <= now) {
        if (windows.size >= maxKeys) sweep(now);
        window = { count: 0, resetAt: now + windowMs };
        windows.set(key, window);
      }
      window.count += 1;
      if (window.count > limit) {
        const retryAfterSeconds = Math.ceil((window.resetAt - now) / 1000);
        throw new AppError("rate_limited", `Too many ${what}. Try again in ${retryAfterSeconds} s.`, {
          report: false,
          details: { retryAfterSeconds },
        });
      }
    },
  };
}
export type RateLimiter = ReturnType<typeof createRateLimiter>;

/** The caller's address as the platform's proxy reports it (Cloud Run and Next set x-forwarded-for). */
export function clientIp(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "unknown";
}
