import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OutsideServiceRejectedError, OutsideServiceUnavailableError, RateLimitedError } from "./errors";
import { createLinearClient, type LinearIssuesClient } from "./linear";
import { createResilientCaller, type ResilientCaller } from "./resilience";
import { startFakeLinear, type FakeLinear } from "./testing/fake-linear";
import { headerValue } from "./testing/loopback-server";

const API_KEY = "lin_api_key_for_tests";

let linear: FakeLinear;
let caller: ResilientCaller;
let client: LinearIssuesClient;

beforeAll(async () => {
  linear = await startFakeLinear({ apiKey: API_KEY, teams: { "team-eng": "ENG" } });
});
afterAll(async () => {
  await linear.close();
});
beforeEach(() => {
  caller = createResilientCaller({
    name: "linear:org-1",
    timeoutMs: 2_000,
    errorThresholdPercentage: 50,
    resetTimeoutMs: 1_000,
    volumeThreshold: 3,
  });
  client = createLinearClient({ apiKey: API_KEY, caller, apiUrl: linear.apiUrl });
});
afterEach(() => {
  caller.shutdown();
  linear.requests.length = 0;
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe("Linear client", () => {
  it("sends one issueCreate mutation with the raw API key and returns the identifier and URL", async () => {
    const created = await client.createIssue({
      teamId: "team-eng",
      title: "Relay drops events on restart",
      description: "Seen in **staging**.\n\n- restart the worker",
      labelIds: ["label-bug"],
    });

    expect(created).toEqual({ identifier: "ENG-1", url: "https://linear.example/acme/issue/ENG-1" });
    expect(linear.requests).toHaveLength(1);
    const [request] = linear.requests;
    expect(request).toMatchObject({ method: "POST", path: "/graphql" });
    expect(headerValue(request!.headers, "authorization")).toBe(API_KEY);
    expect(headerValue(request!.headers, "content-type")).toBe("application/json");
    const body = request!.body as { query: string; variables: unknown };
    expect(body.query).toMatch(/issueCreate\(input: \$input\)/);
    expect(body.query).toMatch(/issue \{ id identifier url \}/);
    expect(body.variables).toEqual({
      input: {
        teamId: "team-eng",
        title: "Relay drops events on restart",
        description: "Seen in **staging**.\n\n- restart the worker",
        labelIds: ["label-bug"],
      },
    });
  });

  it("reports a GraphQL input error as a rejection that does not count against the breaker", async () => {
    for (let i = 0; i < 4; i++) {
      const error = await rejection(client.createIssue({ teamId: "team-missing", title: "x", description: "y" }));
      expect(error).toBeInstanceOf(OutsideServiceRejectedError);
      expect(error).toMatchObject({ status: 400, code: "validation_failed", service: "linear" });
      expect(error.message).toContain("Entity not found: Team");
    }
    expect(caller.state).toBe("closed");
  });

  it("maps a refused API key to forbidden", async () => {
    const wrong = createLinearClient({ apiKey: "lin_api_wrong", caller, apiUrl: linear.apiUrl });
    const error = await rejection(wrong.createIssue({ teamId: "team-eng", title: "x", description: "y" }));
    expect(error).toMatchObject({ status: 401, code: "forbidden" });
  });

  it("turns a RATELIMITED error into RateLimitedError until the request budget resets", async () => {
    linear.rateLimitNext(42_000);

    const error = await rejection(client.createIssue({ teamId: "team-eng", title: "x", description: "y" }));

    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(41);
    expect((error as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(43);
    expect(await rejection(client.createIssue({ teamId: "team-eng", title: "x", description: "y" }))).toBeInstanceOf(
      RateLimitedError,
    );
    expect(linear.requests).toHaveLength(1);
  });

  it("turns an HTTP 429 with Retry-After into RateLimitedError", async () => {
    linear.failNext({
      status: 429,
      headers: { "retry-after": "9" },
      body: { errors: [{ message: "Too many requests" }] },
    });
    const error = await rejection(client.createIssue({ teamId: "team-eng", title: "x", description: "y" }));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfterSeconds: 9 });
  });

  it("treats a 503 as unavailable", async () => {
    linear.failNext({ status: 503, body: "upstream connect error" });
    const error = await rejection(client.createIssue({ teamId: "team-eng", title: "x", description: "y" }));
    expect(error).toBeInstanceOf(OutsideServiceUnavailableError);
    expect(error).toMatchObject({ reason: "server_error" });
  });

  it("treats success: false as a rejection", async () => {
    linear.failNext({ status: 200, body: { data: { issueCreate: { success: false, issue: null } } } });
    const error = await rejection(client.createIssue({ teamId: "team-eng", title: "x", description: "y" }));
    expect(error).toBeInstanceOf(OutsideServiceRejectedError);
  });

  it("aborts the request when the timeout fires", async () => {
    const slowCaller = createResilientCaller({
      name: "linear:org-2",
      timeoutMs: 200,
      errorThresholdPercentage: 50,
      resetTimeoutMs: 1_000,
      volumeThreshold: 3,
    });
    try {
      const slow = createLinearClient({ apiKey: API_KEY, caller: slowCaller, apiUrl: linear.apiUrl });
      // One answered call first, so a cold start (module load, first connection) cannot eat the timeout
      // and abort the request before it reaches the server.
      await slow.createIssue({ teamId: "team-eng", title: "warm-up", description: "" });
      linear.hangNext();
      expect(await rejection(slow.createIssue({ teamId: "team-eng", title: "x", description: "y" }))).toMatchObject({
        reason: "timeout",
      });
      await linear.clientGaveUp();
    } finally {
      slowCaller.shutdown();
    }
  });

  it("refuses a plain-http apiUrl that is not loopback when created (the SDK's own check)", () => {
    expect(() => createLinearClient({ apiKey: API_KEY, caller, apiUrl: "http://linear.example/graphql" })).toThrow(
      /HTTPS/,
    );
  });
});
