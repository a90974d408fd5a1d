import { describe, expect, it } from "vitest";
import { createTokenBucket } from "./rate-limit";

describe("createTokenBucket", () => {
  it("allows a burst, then the sustained rate", () => {
    let now = 0;
    const bucket = createTokenBucket({ burst: 50, perSecond: 20, now: () => now });
    const burst = Array.from({ length: 60 }, () => bucket.take()).filter(Boolean).length;
    expect(burst).toBe(50);
    now += 1_000;
    const nextSecond = Array.from({ length: 60 }, () => bucket.take()).filter(Boolean).length;
    expect(nextSecond).toBe(20);
  });

  it("never saves up more than the burst", () => {
    let now = 0;
    const bucket = createTokenBucket({ burst: 5, perSecond: 20, now: () => now });
    now += 60_000;
    expect(Array.from({ length: 10 }, () => bucket.take()).filter(Boolean).length).toBe(5);
  });
});
