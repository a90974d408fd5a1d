import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { plainTextToAdf } from "./adf";
import { OutsideServiceRejectedError, OutsideServiceUnavailableError, RateLimitedError } from "./errors";
import { createJiraClient, type JiraClient } from "./jira";
import { createResilientCaller, type ResilientCaller } from "./resilience";
import { startFakeJira, type FakeJira } from "./testing/fake-jira";
import { headerValue } from "./testing/loopback-server";

const EMAIL = "bot@acme.example";
const API_TOKEN = "atlassian-api-token-for-tests";

let jira: FakeJira;
let caller: ResilientCaller;
let client: JiraClient;

beforeAll(async () => {
  jira = await startFakeJira({ email: EMAIL, apiToken: API_TOKEN, projects: { ENG: ["Task", "Bug"] } });
});
afterAll(async () => {
  await jira.close();
});
beforeEach(() => {
  caller = createResilientCaller({
    name: "jira:org-1",
    timeoutMs: 2_000,
    errorThresholdPercentage: 50,
    resetTimeoutMs: 1_000,
    volumeThreshold: 3,
  });
  client = createJiraClient({ host: `${jira.url}/`, email: EMAIL, apiToken: API_TOKEN, caller });
});
afterEach(() => {
  caller.shutdown();
  jira.requests.length = 0;
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe("plainTextToAdf", () => {
  it("makes paragraphs from blank-line blocks and hard breaks from single newlines", () => {
    expect(plainTextToAdf("First line\r\nsecond line\n\n\nNext *paragraph*\n")).toEqual({
      type: "doc",
      version: 1,
      content: [
        {
          type: "paragraph",
          content: [{ type: "text", text: "First line" }, { type: "hardBreak" }, { type: "text", text: "second line" }],
        },
        { type: "paragraph", content: [{ type: "text", text: "Next *paragraph*" }] },
      ],
    });
  });

  it("gives an empty document for blank text (ADF forbids empty text nodes)", () => {
    expect(plainTextToAdf("  \n\n ")).toEqual({ type: "doc", version: 1, content: [] });
  });
});

describe("Jira client", () => {
  it("creates an issue with basic auth and an ADF description, and returns its key and browse URL", async () => {
    const created = await client.createIssue({
      projectKey: "ENG",
      summary: "Relay drops events on restart",
      description: "Seen in staging.\n\nSteps:\nrestart the worker",
      issueType: "Bug",
      labels: ["devflow", "outbox"],
    });

    expect(created).toEqual({ key: "ENG-1", url: `${jira.url}/browse/ENG-1` });
    const [request] = jira.requests;
    expect(request).toMatchObject({ method: "POST", path: "/rest/api/3/issue" });
    expect(headerValue(request!.headers, "authorization")).toBe(
      `Basic ${Buffer.from(`${EMAIL}:${API_TOKEN}`).toString("base64")}`,
    );
    expect(request!.body).toEqual({
      fields: {
        project: { key: "ENG" },
        summary: "Relay drops events on restart",
        issuetype: { name: "Bug" },
        labels: ["devflow", "outbox"],
        description: {
          type: "doc",
          version: 1,
          content: [
            { type: "paragraph", content: [{ type: "text", text: "Seen in staging." }] },
            {
              type: "paragraph",
              content: [
                { type: "text", text: "Steps:" },
                { type: "hardBreak" },
                { type: "text", text: "restart the worker" },
              ],
            },
          ],
        },
      },
    });
  });

  it("leaves out an empty description and empty labels", async () => {
    await client.createIssue({
      projectKey: "ENG",
      summary: "No details",
      description: "",
      issueType: "Task",
      labels: [],
    });
    expect(jira.requests[0]!.body).toEqual({
      fields: { project: { key: "ENG" }, summary: "No details", issuetype: { name: "Task" } },
    });
  });

  it("reports Jira's field errors as a rejection that does not count against the breaker", async () => {
    for (let i = 0; i < 4; i++) {
      const error = await rejection(
        client.createIssue({ projectKey: "NOPE", summary: "x", description: "y", issueType: "Task" }),
      );
      expect(error).toBeInstanceOf(OutsideServiceRejectedError);
      expect(error).toMatchObject({ status: 400, code: "validation_failed", service: "jira" });
      expect(error.message).toContain("project: valid project is required");
    }
    expect(caller.state).toBe("closed");
  });

  it("does not leak the API token into the error when the credentials are refused", async () => {
    const wrong = createJiraClient({ host: jira.url, email: EMAIL, apiToken: "wrong-token", caller });
    const error = await rejection(
      wrong.createIssue({ projectKey: "ENG", summary: "x", description: "y", issueType: "Task" }),
    );
    expect(error).toMatchObject({ status: 401, code: "forbidden" });
    expect(error.cause).toBeUndefined();
    expect(JSON.stringify(error)).not.toContain("wrong-token");
  });

  it("turns a 429 with Retry-After into RateLimitedError", async () => {
    jira.rateLimitNext(12);
    const error = await rejection(
      client.createIssue({ projectKey: "ENG", summary: "x", description: "y", issueType: "Task" }),
    );
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ retryAfterSeconds: 12 });
  });

  it("treats a 500 as unavailable", async () => {
    jira.failNext({ status: 500, body: { errorMessages: ["Internal server error"], errors: {} } });
    const error = await rejection(
      client.createIssue({ projectKey: "ENG", summary: "x", description: "y", issueType: "Task" }),
    );
    expect(error).toBeInstanceOf(OutsideServiceUnavailableError);
    expect(error).toMatchObject({ reason: "server_error", status: 500 });
  });

  it("refuses a malformed host when created, not as an outage on first use", () => {
    expect(() => createJiraClient({ host: "acme.atlassian.net", email: EMAIL, apiToken: API_TOKEN, caller })).toThrow(
      /host URL/,
    );
  });

  it("aborts the axios request when the timeout fires", async () => {
    const slowCaller = createResilientCaller({
      name: "jira:org-2",
      timeoutMs: 200,
      errorThresholdPercentage: 50,
      resetTimeoutMs: 1_000,
      volumeThreshold: 3,
    });
    try {
      const slow = createJiraClient({ host: jira.url, email: EMAIL, apiToken: API_TOKEN, caller: slowCaller });
      // One answered call first, so a cold start (module load, first connection) cannot eat the timeout
      // and abort the request before it reaches the server.
      await slow.createIssue({ projectKey: "ENG", summary: "warm-up", description: "", issueType: "Task" });
      jira.hangNext();
      const error = await rejection(
        slow.createIssue({ projectKey: "ENG", summary: "x", description: "y", issueType: "Task" }),
      );
      expect(error).toMatchObject({ reason: "timeout" });
      // The caller's signal reached axios through `baseRequestConfig`: the socket was closed, not left open.
      await jira.clientGaveUp();
    } finally {
      slowCaller.shutdown();
    }
  });
});
