import { randomBytes } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createIntegrationsService } from "@devflow/domain-integrations";
import { createLogger } from "@devflow/observability";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { loadConfig, WorkerConfigSchema } from "@devflow/util-config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkerServer } from "../server";
import { signSlackRequest } from "./slack-signature";

// Slack's Events API as documented (api.slack.com/apis/events-api, api.slack.com/events/app_mention):
// the url_verification handshake and an app_mention event_callback, signed as Slack signs requests.
// No Slack workspace is reachable from here; the payloads are Slack's documented examples.

const SIGNING_SECRET = randomBytes(16).toString("hex");
const key = new Uint8Array(randomBytes(32));

const appMention = (eventId: string) => ({
  token: "ZZZZZZWSxiZZZ2yIvs3peJ",
  team_id: "T061EG9R6",
  api_app_id: "A0MDYCDME",
  event: {
    type: "app_mention",
    user: "U061F7AUR",
    text: "<@U0LAN0Z89> what does the retry policy doc say?",
    ts: "1515449522.000016",
    channel: "C0LAN2Q65",
    event_ts: "1515449522000016",
  },
  type: "event_callback",
  event_id: eventId,
  event_time: 1515449522000016,
  authed_users: ["U0LAN0Z89"],
});

let t: TestDatabase;
let acme: OrganizationFixture;
let path: string;
let worker: { listen(): Promise<string>; close(): Promise<void> };
let baseUrl: string;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  const integrations = createIntegrationsService(t.db, { encryptionKey: key });
  ({ path } = await integrations.connectSlack(acme.ctx, { signingSecret: SIGNING_SECRET }));
  worker = createWorkerServer({
    config: { ...loadConfig("worker", WorkerConfigSchema, { HOST: "127.0.0.1" }), port: 0 },
    db: t.db,
    logger: createLogger({ service: "worker", level: "silent" }),
    encryptionKey: key,
  });
  baseUrl = await worker.listen();
});
afterAll(async () => {
  await worker?.close();
  await t?.drop();
});

async function post(body: string, { timestamp = Math.floor(Date.now() / 1000), secret = SIGNING_SECRET } = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": signSlackRequest(secret, body, timestamp),
    },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const stored = (eventId: string) =>
  t.db.withTenant(acme.ctx, (tx) => tx.webhookDelivery.findMany({ where: { provider: "slack", deliveryId: eventId } }));

describe("POST /webhooks/slack", () => {
  it("answers Slack's url_verification challenge, and stores nothing for it", async () => {
    const body = JSON.stringify({
      token: "Jhj5dZrVaK7ZwHHjRyZWjbDl",
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
      type: "url_verification",
    });
    expect(await post(body)).toEqual({
      status: 200,
      body: { challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" },
    });
  });

  it("stores an event once, even when Slack retries it", async () => {
    const body = JSON.stringify(appMention("Ev0PV52K21"));
    const first = await post(body);
    expect(first).toMatchObject({ status: 202, body: { duplicate: false, ignored: false } });
    expect(await post(body)).toMatchObject({ status: 202, body: { id: first.body.id, duplicate: true } });
    const rows = await stored("Ev0PV52K21");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ event: "app_mention", status: "received" });
  });

  it("refuses a stale timestamp, a wrong secret and a changed body with 401, storing nothing", async () => {
    const body = JSON.stringify(appMention("Ev0STALE01"));
    const stale = await post(body, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    expect(stale).toMatchObject({ status: 401, body: { error: { code: "invalid_signature" } } });
    expect(String((stale.body.error as { message: string }).message)).toMatch(/five minutes/);
    expect((await post(body, { secret: "0".repeat(32) })).status).toBe(401);
    expect(await stored("Ev0STALE01")).toEqual([]);
  });

  it("stores an event type nothing handles as ignored", async () => {
    const payload = appMention("Ev0IGNORE1");
    const body = JSON.stringify({ ...payload, event: { ...payload.event, type: "emoji_changed" } });
    expect(await post(body)).toMatchObject({ status: 202, body: { ignored: true } });
    expect((await stored("Ev0IGNORE1"))[0]!.status).toBe("ignored");
  });
});

describe("connecting Slack", () => {
  it("is for admins only", async () => {
    const integrations = createIntegrationsService(t.db, { encryptionKey: key });
    const member = await acme.addMember("member");
    await expect(integrations.connectSlack(member, { signingSecret: SIGNING_SECRET })).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});
