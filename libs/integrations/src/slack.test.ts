import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OutsideServiceRejectedError, OutsideServiceUnavailableError, RateLimitedError } from "./errors";
import { createResilientCaller, type ResilientCaller } from "./resilience";
import { createSlackClient, SlackRejectedError, type SlackClient } from "./slack";
import { startFakeSlack, type FakeSlack } from "./testing/fake-slack";
import { headerValue } from "./testing/loopback-server";

const TOKEN = "xoxb-test-bot-token";

let slack: FakeSlack;
let caller: ResilientCaller;
let client: SlackClient;

beforeAll(async () => {
  slack = await startFakeSlack({ token: TOKEN, channels: ["C0DEPLOYS"], users: { "ada@acme.test": "U0ADA" } });
});
afterAll(async () => {
  await slack.close();
});
beforeEach(() => {
  caller = createResilientCaller({
    name: "slack:org-1",
    timeoutMs: 2_000,
    errorThresholdPercentage: 50,
    resetTimeoutMs: 1_000,
    volumeThreshold: 3,
  });
  client = createSlackClient({ token: TOKEN, caller, slackApiUrl: slack.apiUrl, responseUrlOrigin: slack.url });
});
afterEach(() => {
  caller.shutdown();
  slack.requests.length = 0;
  slack.messages.length = 0;
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe("Slack client", () => {
  it("posts a message with blocks as chat.postMessage with the bot token", async () => {
    const blocks = [{ type: "section" as const, text: { type: "mrkdwn" as const, text: "*Deploy* finished" } }];

    const posted = await client.postMessage("C0DEPLOYS", "Deploy finished", blocks);

    expect(posted).toEqual({ channel: "C0DEPLOYS", ts: "1700000000.000001" });
    expect(slack.requests).toHaveLength(1);
    const [request] = slack.requests;
    expect(request).toMatchObject({ method: "POST", path: "/api/chat.postMessage" });
    expect(headerValue(request!.headers, "authorization")).toBe(`Bearer ${TOKEN}`);
    expect(headerValue(request!.headers, "content-type")).toBe("application/x-www-form-urlencoded");
    expect(request!.body).toMatchObject({ channel: "C0DEPLOYS", text: "Deploy finished" });
    expect(slack.messages[0]).toMatchObject({ channel: "C0DEPLOYS", text: "Deploy finished", blocks });
  });

  it("maps an { ok: false } platform error to a rejection with its Slack error code", async () => {
    const error = await rejection(client.postMessage("C0UNKNOWN", "hello"));

    expect(error).toBeInstanceOf(OutsideServiceRejectedError);
    expect(error).toMatchObject({ status: 404, code: "not_found", service: "slack" });
    expect(error.message).toContain("channel_not_found");
    expect(caller.state).toBe("closed");
  });

  it("finds a workspace member by email with users.lookupByEmail and the bot token", async () => {
    expect(await client.lookupUserByEmail("ada@acme.test")).toBe("U0ADA");

    const [request] = slack.requests;
    expect(request).toMatchObject({
      method: "POST",
      path: "/api/users.lookupByEmail",
      body: { email: "ada@acme.test" },
    });
    expect(headerValue(request!.headers, "authorization")).toBe(`Bearer ${TOKEN}`);
  });

  it("answers null for an address Slack knows nobody by (users_not_found), without a breaker failure", async () => {
    expect(await client.lookupUserByEmail("nobody@acme.test")).toBeNull();
    expect(slack.requests).toHaveLength(1);
    expect(caller.state).toBe("closed");
  });

  it("keeps users.lookupByEmail behind the caller's rate-limit backoff", async () => {
    slack.rateLimitNext(30);
    expect(await rejection(client.lookupUserByEmail("ada@acme.test"))).toBeInstanceOf(RateLimitedError);
    expect(await rejection(client.lookupUserByEmail("ada@acme.test"))).toBeInstanceOf(RateLimitedError);
    expect(slack.requests).toHaveLength(1);
  });

  it("gives a refused lookup's Slack error code to the caller", async () => {
    const revoked = createSlackClient({ token: "xoxb-revoked", caller, slackApiUrl: slack.apiUrl });
    const error = await rejection(revoked.lookupUserByEmail("ada@acme.test"));
    expect(error).toBeInstanceOf(SlackRejectedError);
    expect(error).toMatchObject({ slackError: "invalid_auth", status: 401 });
  });

  it("sends a direct message when the channel is a member's user id", async () => {
    const posted = await client.postMessage("U0ADA", "You were mentioned");

    expect(posted.channel).toBe("U0ADA");
    expect(slack.messages[0]).toMatchObject({ channel: "U0ADA", text: "You were mentioned" });
    const error = await rejection(client.postMessage("U0NOBODY", "hello"));
    expect(error).toBeInstanceOf(SlackRejectedError);
    expect(error).toMatchObject({ slackError: "channel_not_found", status: 404, code: "not_found" });
  });

  it("maps a revoked token to forbidden", async () => {
    const revoked = createSlackClient({ token: "xoxb-revoked", caller, slackApiUrl: slack.apiUrl });
    const error = await rejection(revoked.postMessage("C0DEPLOYS", "hello"));
    expect(error).toMatchObject({ status: 401, code: "forbidden" });
    expect(error.message).toContain("invalid_auth");
  });

  it("sends once on a 429 (no WebClient retry or sleep) and refuses calls until Retry-After", async () => {
    slack.rateLimitNext(30);

    const error = await rejection(client.postMessage("C0DEPLOYS", "hello"));

    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfterSeconds: 30 });
    expect(slack.requests).toHaveLength(1);
    expect(await rejection(client.postMessage("C0DEPLOYS", "hello again"))).toBeInstanceOf(RateLimitedError);
    expect(slack.requests).toHaveLength(1);
    expect(caller.state).toBe("closed");
  });

  it("maps a ratelimited error in a 200 body to RateLimitedError", async () => {
    slack.failNext({ status: 200, body: { ok: false, error: "ratelimited" } });
    const error = await rejection(client.postMessage("C0DEPLOYS", "hello"));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfterSeconds: 60 });
  });

  it("treats Slack's internal_error and a 503 as unavailable, without retrying", async () => {
    slack.failNext({ status: 200, body: { ok: false, error: "internal_error" } });
    expect(await rejection(client.postMessage("C0DEPLOYS", "hello"))).toMatchObject({ reason: "server_error" });

    slack.failNext({ status: 503, body: "Service Unavailable" });
    const error = await rejection(client.postMessage("C0DEPLOYS", "hello"));
    expect(error).toBeInstanceOf(OutsideServiceUnavailableError);
    expect(error).toMatchObject({ reason: "server_error", status: 503 });
    expect(slack.requests).toHaveLength(2);
  });

  it("aborts a call Slack does not answer in time", async () => {
    const slowCaller = createResilientCaller({
      name: "slack:org-2",
      timeoutMs: 200,
      errorThresholdPercentage: 50,
      resetTimeoutMs: 1_000,
      volumeThreshold: 3,
    });
    try {
      const slow = createSlackClient({ token: TOKEN, caller: slowCaller, slackApiUrl: slack.apiUrl });
      // One answered call first, so a cold start (module load, first connection) cannot eat the timeout
      // and abort the request before it reaches the server.
      await slow.postMessage("C0DEPLOYS", "warm-up");
      slack.hangNext();
      expect(await rejection(slow.postMessage("C0DEPLOYS", "hello"))).toMatchObject({ reason: "timeout" });
      await slack.clientGaveUp();
    } finally {
      slowCaller.shutdown();
    }
  });

  it("posts a slash-command follow-up to the response_url as JSON, without the bot token", async () => {
    const url = slack.responseUrl();

    await client.respondToResponseUrl(url, { text: "Created ENG-12", response_type: "ephemeral" });

    const [request] = slack.requests;
    expect(request).toMatchObject({
      method: "POST",
      path: new URL(url).pathname,
      body: { text: "Created ENG-12", response_type: "ephemeral" },
    });
    expect(headerValue(request!.headers, "content-type")).toBe("application/json; charset=utf-8");
    expect(headerValue(request!.headers, "authorization")).toBeUndefined();
    expect(slack.responses.get(new URL(url).pathname)).toHaveLength(1);
  });

  it("refuses a response_url on any other origin without sending it", async () => {
    for (const url of ["http://127.0.0.1:9/commands/T1/1/x", "not a url"]) {
      const error = await rejection(client.respondToResponseUrl(url, { text: "hi" }));
      expect(error).toBeInstanceOf(OutsideServiceRejectedError);
      expect(error.message).toContain("response_url is not on");
    }
    expect(slack.requests).toHaveLength(0);
  });

  it("maps a used-up response_url to a rejection", async () => {
    const url = slack.responseUrl();
    for (let i = 0; i < 5; i++) await client.respondToResponseUrl(url, { text: `update ${i}` });

    const error = await rejection(client.respondToResponseUrl(url, { text: "one too many" }));
    expect(error).toBeInstanceOf(OutsideServiceRejectedError);
    expect(error).toMatchObject({ status: 404 });
  });

  it("times out a response_url that never answers", async () => {
    const slowCaller = createResilientCaller({
      name: "slack:org-3",
      timeoutMs: 200,
      errorThresholdPercentage: 50,
      resetTimeoutMs: 1_000,
      volumeThreshold: 3,
    });
    try {
      const slow = createSlackClient({
        token: TOKEN,
        caller: slowCaller,
        slackApiUrl: slack.apiUrl,
        responseUrlOrigin: slack.url,
      });
      // One answered call first, so a cold start (first connection) cannot eat the timeout before the
      // request reaches the server.
      await slow.respondToResponseUrl(slack.responseUrl(), { text: "warm-up" });
      slack.hangNext();
      expect(await rejection(slow.respondToResponseUrl(slack.responseUrl(), { text: "hi" }))).toMatchObject({
        reason: "timeout",
      });
      await slack.clientGaveUp();
    } finally {
      slowCaller.shutdown();
    }
  });
});
