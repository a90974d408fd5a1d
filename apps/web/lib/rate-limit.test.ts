import { describe, expect, it } from "vitest";
import { clientIp, createRateLimiter } from "./rate-limit";

describe("rate limiter", () => {
  it("allows the limit per window, then answers rate_limited with a retry time", () => {
    const limiter = createRateLimiter({ limit: 2, windowMs: 60_000 });
    limiter.consume("ip-1", 0);
    limiter.consume("ip-1", 1);
    expect(() => limiter.consume("ip-1", 2)).toThrow(
      expect.objectContaining({ code: "rate_limited", details: { retryAfterSeconds: 60 } }),
    );
    limiter.consume("ip-2", 2);
    limiter.consume("ip-1", 60_000);
  });

  it("reads the first forwarded address", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "203.0.113.9, 10.0.0.1" }))).toBe("203.0.113.9");
    expect(clientIp(new Headers())).toBe("unknown");
  });
});
