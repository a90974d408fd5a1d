import { createLogger } from "@devflow/observability";
import { createMemoryLog } from "@devflow/observability/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  errorForHttpFailure,
  OutsideServiceRejectedError,
  OutsideServiceUnavailableError,
  parseRetryAfter,
  RateLimitedError,
  secondsUntilEpoch,
} from "./errors";
import {
  breakerKey,
  createResilientCaller,
  createResilientCallerRegistry,
  type BreakerState,
  type ResilientCaller,
  type ResilientCallerOptions,
} from "./resilience";
import { startLoopbackServer, type LoopbackServer } from "./testing/loopback-server";

const FAST: Omit<ResilientCallerOptions, "name"> = {
  timeoutMs: 200,
  errorThresholdPercentage: 50,
  resetTimeoutMs: 100,
  volumeThreshold: 3,
};

let server: LoopbackServer;
const callers: ResilientCaller[] = [];

beforeEach(async () => {
  server = await startLoopbackServer(() => ({ status: 200, body: { ok: true } }));
});
afterEach(async () => {
  vi.useRealTimers();
  for (const caller of callers.splice(0)) caller.shutdown();
  await server.close();
});

function callerWith(overrides: Partial<ResilientCallerOptions> = {}): ResilientCaller {
  const caller = createResilientCaller({ name: "test:org-1", ...FAST, ...overrides });
  callers.push(caller);
  return caller;
}

/** GET the loopback server through `caller`, mapping its status the way every client does. */
function get(caller: ResilientCaller, target: LoopbackServer = server): Promise<unknown> {
  return caller.call("GET /", async (signal) => {
    const response = await fetch(target.url, { signal });
    if (!response.ok) {
      throw errorForHttpFailure({
        service: "test",
        status: response.status,
        message: await response.text(),
        retryAfterSeconds: parseRetryAfter(response.headers.get("retry-after")),
      });
    }
    return response.json();
  });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

/** Records state changes and lets a test wait for the next one instead of sleeping. */
function stateChanges() {
  const seen: BreakerState[] = [];
  const waiters: { state: BreakerState; resolve: () => void }[] = [];
  return {
    seen,
    onStateChange(state: BreakerState) {
      seen.push(state);
      for (const waiter of waiters.filter((w) => w.state === state)) waiter.resolve();
    },
    reached(state: BreakerState): Promise<void> {
      return new Promise((resolve) => waiters.push({ state, resolve }));
    },
  };
}

describe("createResilientCaller", () => {
  it("aborts a call the server never answers once the timeout fires", async () => {
    const caller = callerWith({ timeoutMs: 200 });
    // One answered call first, so a cold start (first connection) cannot eat the timeout before the
    // request reaches the server.
    await get(caller);
    server.hangNext();
    let inner: Promise<string> | undefined;

    const error = await rejection(
      caller.call("GET /", (signal) => {
        const request = fetch(server.url, { signal });
        inner = request.then(
          () => "answered",
          (e: Error) => e.name,
        );
        return request;
      }),
    );

    expect(error).toBeInstanceOf(OutsideServiceUnavailableError);
    expect(error).toMatchObject({ reason: "timeout", retryable: true, code: "unavailable" });
    expect(error.message).toContain("timed out after 200 ms");
    // The underlying fetch was aborted, not left running in the background.
    await expect(inner).resolves.toBe("AbortError");
    await server.clientGaveUp();
  });

  it("opens after enough failures and then fails fast without calling the server", async () => {
    const log = createMemoryLog();
    const caller = callerWith({ logger: createLogger({ service: "test", destination: log.destination }) });
    server.failNext({ status: 503, body: { message: "down for maintenance" } }, 3);

    for (let i = 0; i < 3; i++) {
      expect(await rejection(get(caller))).toMatchObject({ reason: "server_error", status: 503 });
    }
    expect(caller.state).toBe("open");

    const refused = await rejection(get(caller));
    expect(refused).toBeInstanceOf(OutsideServiceUnavailableError);
    expect(refused).toMatchObject({ reason: "circuit_open", retryable: true, report: false });
    expect(server.requests).toHaveLength(3);
    expect(log.lines()).toContainEqual(
      expect.objectContaining({
        level: "warn",
        breaker: "test:org-1",
        state: "open",
        msg: expect.stringContaining("opened"),
      }),
    );
  });

  it("half-opens after the reset timeout, lets one trial call through, and closes when it succeeds", async () => {
    const changes = stateChanges();
    const caller = callerWith({ onStateChange: changes.onStateChange });
    server.failNext({ status: 500 }, 3);
    for (let i = 0; i < 3; i++) await rejection(get(caller));
    expect(caller.state).toBe("open");

    await changes.reached("half_open");
    expect(caller.state).toBe("half_open");
    await expect(get(caller)).resolves.toEqual({ ok: true });

    expect(caller.state).toBe("closed");
    expect(changes.seen).toEqual(["open", "half_open", "closed"]);
    expect(server.requests).toHaveLength(4);
  });

  it("lets only one trial call through while half-open; concurrent calls fail fast", async () => {
    const changes = stateChanges();
    const caller = callerWith({ onStateChange: changes.onStateChange });
    server.failNext({ status: 500 }, 3);
    for (let i = 0; i < 3; i++) await rejection(get(caller));
    await changes.reached("half_open");

    server.hangNext();
    const trial = rejection(get(caller));
    expect(await rejection(get(caller))).toMatchObject({ reason: "circuit_open" });

    expect(await trial).toMatchObject({ reason: "timeout" });
    expect(caller.state).toBe("open");
    expect(server.requests).toHaveLength(4);
  });

  it("opens again when the half-open trial call fails", async () => {
    const changes = stateChanges();
    const caller = callerWith({ onStateChange: changes.onStateChange });
    server.failNext({ status: 502 }, 4);
    for (let i = 0; i < 3; i++) await rejection(get(caller));
    await changes.reached("half_open");

    expect(await rejection(get(caller))).toMatchObject({ reason: "server_error" });
    expect(caller.state).toBe("open");
    expect(await rejection(get(caller))).toMatchObject({ reason: "circuit_open" });
    expect(server.requests).toHaveLength(4);
  });

  it("does not count a 400 as a failure: a bad request is not an outage", async () => {
    const caller = callerWith();
    server.failNext({ status: 400, body: { message: "title is required" } }, 5);

    for (let i = 0; i < 5; i++) {
      const error = await rejection(get(caller));
      expect(error).toBeInstanceOf(OutsideServiceRejectedError);
      expect(error).toMatchObject({ status: 400, retryable: false, code: "validation_failed" });
    }

    expect(caller.state).toBe("closed");
    await expect(get(caller)).resolves.toEqual({ ok: true });
    expect(server.requests).toHaveLength(6);
  });

  it("turns a 429 into RateLimitedError and refuses calls until Retry-After has passed, without opening", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    // volumeThreshold 1: were the 429 counted as a failure, this one call would open the breaker.
    const caller = callerWith({ volumeThreshold: 1 });
    server.failNext({ status: 429, headers: { "retry-after": "30" }, body: { message: "slow down" } });

    const limited = await rejection(get(caller));
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited).toMatchObject({ retryAfterSeconds: 30, code: "rate_limited", retryable: true });

    vi.setSystemTime(Date.now() + 10_000);
    const refused = await rejection(get(caller));
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBe(20);
    expect(server.requests).toHaveLength(1);
    expect(caller.state).toBe("closed");

    vi.setSystemTime(Date.now() + 20_001);
    await expect(get(caller)).resolves.toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
  });

  it("wraps an error the call did not type as unavailable, keeping its cause", async () => {
    const caller = callerWith();
    const error = await rejection(caller.call("GET /", () => Promise.reject(new TypeError("fetch failed"))));
    expect(error).toBeInstanceOf(OutsideServiceUnavailableError);
    expect(error).toMatchObject({ reason: "network" });
    expect(error.cause).toBeInstanceOf(TypeError);
  });
});

describe("createResilientCallerRegistry", () => {
  it("keeps one breaker per key, so one tenant's outage does not stop another's calls", async () => {
    const registry = createResilientCallerRegistry({ ...FAST, volumeThreshold: 2 });
    const broken = await startLoopbackServer(() => ({ status: 503, body: { message: "down" } }));
    try {
      const a = registry.get(breakerKey("jira", "org-a"));
      const b = registry.get(breakerKey("jira", "org-b"));
      expect(registry.get("jira:org-a")).toBe(a);
      expect(a.name).toBe("jira:org-a");

      await rejection(get(a, broken));
      await rejection(get(a, broken));
      expect(a.state).toBe("open");

      expect(b.state).toBe("closed");
      await expect(get(b)).resolves.toEqual({ ok: true });
      expect(await rejection(get(a))).toMatchObject({ reason: "circuit_open" });
    } finally {
      registry.shutdown();
      await broken.close();
    }
  });
});

describe("rate-limit headers", () => {
  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("120", now)).toBe(120);
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:01:30 GMT", now)).toBe(90);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it("reads epoch reset times in seconds (GitHub) or milliseconds (Linear)", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(secondsUntilEpoch(String(now / 1000 + 42), now)).toBe(42);
    expect(secondsUntilEpoch(String(now + 1_500), now)).toBe(2);
    expect(secondsUntilEpoch(String(now / 1000 - 5), now)).toBe(0);
  });
});
