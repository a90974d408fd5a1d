import { describe, expect, it } from "vitest";
import { retryDelayMs } from "./backoff";

const policy = { baseDelayMs: 1_000, maxDelayMs: 60_000 };

describe("retryDelayMs", () => {
  it("doubles the wait after each failed attempt, between half and all of it", () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, policy, () => 0))).toEqual([500, 1_000, 2_000, 4_000]);
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, policy, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it("never waits longer than maxDelayMs, however many attempts failed", () => {
    expect(retryDelayMs(30, policy, () => 1)).toBe(60_000);
    expect(retryDelayMs(30, policy, () => 0)).toBe(30_000);
  });

  it("spreads runs that failed together over the jitter range", () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, policy)));
    expect(delays.size).toBeGreaterThan(1);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(2_000);
      expect(delay).toBeLessThanOrEqual(4_000);
    }
  });

  it("retries at once when the base delay is zero", () => {
    expect(retryDelayMs(5, { baseDelayMs: 0, maxDelayMs: 0 })).toBe(0);
  });
});
