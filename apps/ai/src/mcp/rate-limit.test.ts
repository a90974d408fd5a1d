import { describe, expect, it } from "vitest";
import { createKeyedRateLimit } from "./rate-limit";

describe("the per-token rate limit", () => {
  it("allows a burst, then one request per refill, per key", () => {
    let now = 0;
    const limit = createKeyedRateLimit({ burst: 2, perSecond: 1, now: () => now });
    expect([limit.take("a"), limit.take("a"), limit.take("a")]).toEqual([0, 0, 1]);
    expect(limit.take("b")).toBe(0);
    now = 1_000;
    expect(limit.take("a")).toBe(0);
    expect(limit.take("a")).toBe(1);
  });
});
