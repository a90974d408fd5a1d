import { randomBytes, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { sign } from "@octokit/webhooks-methods";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createIntegrationsService, type ConnectedWebhook } from "@devflow/domain-integrations";
import { createPgBossEventBus, pgliteBossDb, type EventBus } from "@devflow/events";
import { createLogger } from "@devflow/observability";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { loadConfig, WorkerConfigSchema } from "@devflow/util-config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkerServer } from "../server";

// Real GitHub payloads (@octokit/webhooks-examples, recorded from github.com) signed the way GitHub
// signs them (HMAC-SHA256 of the exact body, X-Hub-Signature-256), sent over HTTP to a running
// worker on the real database, with the Postgres event bus processing what it stores.

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as {
  name: string;
  examples: Record<string, unknown>[];
}[];
const payloadOf = (name: string, index = 0) => examples.find((e) => e.name === name)!.examples[index]!;

const BODY_LIMIT = 64 * 1024;
const key = new Uint8Array(randomBytes(32));

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let acmeHook: ConnectedWebhook;
let globexHook: ConnectedWebhook;
let bus: EventBus;
let worker: { listen(): Promise<string>; close(): Promise<void> };
let baseUrl: string;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  const integrations = createIntegrationsService(t.db, { encryptionKey: key });
  acmeHook = await integrations.connectGithubWebhook(acme.ctx);
  globexHook = await integrations.connectGithubWebhook(globex.ctx);
  bus = createPgBossEventBus(t.pglite ? { db: pgliteBossDb(t.pglite) } : { connectionString: t.appUrl! });
  const config = {
    ...loadConfig("worker", WorkerConfigSchema, { HOST: "127.0.0.1" }),
    port: 0,
    WEBHOOK_BODY_LIMIT_BYTES: BODY_LIMIT,
  };
  worker = createWorkerServer({
    config,
    db: t.db,
    logger: createLogger({ service: "worker", level: "silent" }),
    bus,
    encryptionKey: key,
  });
  baseUrl = await worker.listen();
});
afterAll(async () => {
  await worker?.close();
  await t?.drop();
});

interface Delivery {
  hook?: ConnectedWebhook;
  event?: string;
  deliveryId?: string;
  body?: string;
  signature?: string | null;
  contentType?: string;
}

async function deliver({ hook = acmeHook, event = "ping", deliveryId = randomUUID(), ...rest }: Delivery = {}) {
  const body = rest.body ?? JSON.stringify(payloadOf(event === "made_up_event" ? "ping" : event));
  const signature = rest.signature === undefined ? await sign(hook.secret, body) : rest.signature;
  const response = await fetch(`${baseUrl}${hook.path}`, {
    method: "POST",
    headers: {
      "content-type": rest.contentType ?? "application/json",
      "x-github-event": event,
      "x-github-delivery": deliveryId,
      ...(signature !== null && { "x-hub-signature-256": signature }),
    },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, deliveryId };
}

const deliveriesOf = (org: OrganizationFixture, deliveryId: string) =>
  t.db.withTenant(org.ctx, (tx) => tx.webhookDelivery.findMany({ where: { deliveryId } }));

describe("POST /webhooks/github", () => {
  it("stores a verified delivery, answers 202, and processes it once even when GitHub redelivers it", async () => {
    const first = await deliver({ event: "pull_request" });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ duplicate: false, ignored: false });

    const again = await deliver({ event: "pull_request", deliveryId: first.deliveryId });
    expect(again).toMatchObject({ status: 202, body: { id: first.body.id, duplicate: true } });

    const [stored, ...others] = await deliveriesOf(acme, first.deliveryId);
    expect(others).toEqual([]);
    expect(stored).toMatchObject({ provider: "github", event: "pull_request", integrationId: acmeHook.integrationId });
    expect(stored!.payload).toEqual(payloadOf("pull_request"));

    await expect
      .poll(async () => (await deliveriesOf(acme, first.deliveryId))[0]?.status, { timeout: 15_000, interval: 100 })
      .toBe("processed");
    const [processed] = await deliveriesOf(acme, first.deliveryId);
    expect(processed!.attempts).toBe(1);
    const events = await t.db.withTenant(acme.ctx, (tx) =>
      tx.outboxEvent.count({
        where: { type: "webhook.received", payload: { path: ["deliveryId"], equals: stored!.id } },
      }),
    );
    expect(events).toBe(1);
  });

  it.each([
    ["a wrong signature", { signature: "sha256=" + "0".repeat(64) }],
    ["a missing signature", { signature: null }],
    ["a malformed signature", { signature: "md5=abc" }],
    ["another organization's secret", { signature: "other" }],
  ])("refuses %s with 401 and stores nothing", async (_, overrides) => {
    const body = JSON.stringify(payloadOf("push"));
    const signature = overrides.signature === "other" ? await sign(globexHook.secret, body) : overrides.signature;
    const result = await deliver({ event: "push", body, signature });
    expect(result.status).toBe(401);
    expect(result.body).toEqual({ error: { code: "invalid_signature", message: expect.any(String) } });
    expect(await deliveriesOf(acme, result.deliveryId)).toEqual([]);
    expect(await deliveriesOf(globex, result.deliveryId)).toEqual([]);
  });

  it("refuses a body changed after signing", async () => {
    const body = JSON.stringify(payloadOf("push"));
    const signature = await sign(acmeHook.secret, body);
    const result = await deliver({ event: "push", body: body.replace('"ref"', '"REF"'), signature });
    expect(result.status).toBe(401);
  });

  it("stores an event type it does not handle as ignored, and never processes it", async () => {
    const result = await deliver({ event: "made_up_event" });
    expect(result).toMatchObject({ status: 202, body: { ignored: true, duplicate: false } });
    const [stored] = await deliveriesOf(acme, result.deliveryId);
    expect(stored!.status).toBe("ignored");
    const events = await t.db.withTenant(acme.ctx, (tx) =>
      tx.outboxEvent.count({
        where: { type: "webhook.received", payload: { path: ["deliveryId"], equals: stored!.id } },
      }),
    );
    expect(events).toBe(0);
  });

  it("keeps each organization's deliveries apart, even with the same delivery id", async () => {
    const deliveryId = randomUUID();
    expect((await deliver({ hook: acmeHook, deliveryId })).body.duplicate).toBe(false);
    expect((await deliver({ hook: globexHook, deliveryId })).body.duplicate).toBe(false);
    const [a] = await deliveriesOf(acme, deliveryId);
    const [g] = await deliveriesOf(globex, deliveryId);
    expect(a!.organizationId).toBe(acme.organization.id);
    expect(g!.organizationId).toBe(globex.organization.id);
    expect(a!.id).not.toBe(g!.id);
  });

  it("rejects oversized bodies, other content types, unknown integrations and missing headers", async () => {
    const huge = JSON.stringify({ zen: "x".repeat(BODY_LIMIT) });
    const tooBig = await deliver({ body: huge });
    expect(tooBig).toMatchObject({ status: 413, body: { error: { code: "payload_too_large" } } });

    const form = await deliver({ contentType: "application/x-www-form-urlencoded", body: "payload=%7B%7D" });
    expect(form).toMatchObject({ status: 415, body: { error: { code: "unsupported_media_type" } } });

    const nowhere = await deliver({ hook: { ...acmeHook, path: `/webhooks/github?integration=${randomUUID()}` } });
    expect(nowhere).toMatchObject({ status: 404, body: { error: { code: "not_found" } } });

    const noQuery = await deliver({ hook: { ...acmeHook, path: "/webhooks/github" } });
    expect(noQuery).toMatchObject({ status: 400, body: { error: { code: "validation_failed" } } });

    const notJson = await deliver({ body: "{not json" });
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: "validation_failed" } } });

    const badEvent = await deliver({ event: "Robert'); DROP TABLE", body: "{}" });
    expect(badEvent.status).toBe(400);
  });
});

describe("connecting a GitHub webhook", () => {
  it("is for admins, and stores the secret sealed, never in the clear", async () => {
    const member = await acme.addMember("member");
    await expect(createIntegrationsService(t.db, { encryptionKey: key }).connectGithubWebhook(member)).rejects.toThrow(
      /Only admins/,
    );
    const row = await t.db.withTenant(acme.ctx, (tx) =>
      tx.integration.findUniqueOrThrow({ where: { id: acmeHook.integrationId } }),
    );
    expect(Buffer.from(row.encryptedSecret!).toString("latin1")).not.toContain(acmeHook.secret);
    expect(acmeHook.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(acmeHook.path).toBe(`/webhooks/github?integration=${acmeHook.integrationId}`);
  });
});
