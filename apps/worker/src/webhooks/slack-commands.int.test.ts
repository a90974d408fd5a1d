import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createDocumentIndexer, createOfflineEmbedder } from "@devflow/ai-rag";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createIntegrationsService } from "@devflow/domain-integrations";
import { createProjectsService } from "@devflow/domain-projects";
import { createPgBossEventBus, pgliteBossDb, type EventBus } from "@devflow/events";
import { createLogger } from "@devflow/observability";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { loadConfig, WorkerConfigSchema } from "@devflow/util-config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkerServer } from "../server";
import { signSlackRequest } from "./slack-signature";

// `/devflow ask …` as Slack sends a slash command (api.slack.com/interactivity/slash-commands: a
// signed application/x-www-form-urlencoded POST with a response_url), answered at once and then
// followed up on the response_url — here a loopback server standing in for Slack's hooks host.

const SIGNING_SECRET = randomBytes(16).toString("hex");
const key = new Uint8Array(randomBytes(32));
const openWord = `albatross${randomUUID().slice(0, 6)}`;
const privateWord = `narwhal${randomUUID().slice(0, 6)}`;

let t: TestDatabase;
let acme: OrganizationFixture;
let path: string;
let bus: EventBus;
let worker: { listen(): Promise<string>; close(): Promise<void> };
let baseUrl: string;
let slack: Server;
let slackOrigin: string;
let openDocId: string;
const followUps: { path: string; body: { text: string; response_type?: string } }[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  const projects = createProjectsService(t.db);
  const documents = createDocumentsService(t.db);
  const open = await projects.create(acme.ctx, { name: "Payments", description: "" });
  const secret = await projects.create(acme.ctx, { name: "Board", description: "", visibility: "private" });
  const openDoc = await documents.create(acme.ctx, open.id, {
    title: "Refunds",
    kind: "design_doc",
    content: `# Refunds\n\nThe ${openWord} settlement job runs nightly at two.\n`,
  });
  openDocId = openDoc.id;
  const privateDoc = await documents.create(acme.ctx, secret.id, {
    title: "Acquisition",
    kind: "design_doc",
    content: `# Acquisition\n\nThe ${privateWord} deal closes in March.\n`,
  });
  const indexer = createDocumentIndexer(t.db, { embedder: createOfflineEmbedder() });
  await indexer.indexDocument({ organizationId: acme.organization.id }, openDoc.id);
  await indexer.indexDocument({ organizationId: acme.organization.id }, privateDoc.id);

  slack = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      followUps.push({ path: req.url ?? "", body: JSON.parse(body) });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => slack.listen(0, "127.0.0.1", resolve));
  slackOrigin = `http://127.0.0.1:${(slack.address() as AddressInfo).port}`;

  const integrations = createIntegrationsService(t.db, { encryptionKey: key });
  ({ path } = await integrations.connectSlack(acme.ctx, { signingSecret: SIGNING_SECRET }));
  bus = createPgBossEventBus(
    t.pglite ? { db: pgliteBossDb(t.pglite) } : { connectionString: t.appUrl!, pollingIntervalSeconds: 0.5 },
  );
  worker = createWorkerServer({
    config: {
      ...loadConfig("worker", WorkerConfigSchema, {
        HOST: "127.0.0.1",
        PUBLIC_URL: "https://devflow.test",
        SLACK_RESPONSE_URL_ORIGIN: slackOrigin,
      }),
      port: 0,
    },
    db: t.db,
    logger: createLogger({ service: "worker", level: "silent" }),
    encryptionKey: key,
    bus,
  });
  baseUrl = await worker.listen();
});
afterAll(async () => {
  await worker?.close();
  await new Promise((resolve) => slack?.close(resolve));
  await t?.drop();
});

/** Slack's documented slash-command fields, with our response_url. */
function commandForm(text: string, triggerId = `${Date.now()}.${randomUUID()}`) {
  return new URLSearchParams({
    token: "gIkuvaNzQIHg97ATvDxqgjtO",
    team_id: "T0001",
    team_domain: "example",
    channel_id: "C2147483705",
    channel_name: "test",
    user_id: "U2147483697",
    user_name: "Steve",
    command: "/devflow",
    text,
    api_app_id: "A123456",
    response_url: `${slackOrigin}/commands/1234/5678`,
    trigger_id: triggerId,
  }).toString();
}

async function post(body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const response = await fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": signSlackRequest(SIGNING_SECRET, body, timestamp),
    },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("/devflow slash command", () => {
  it("acknowledges at once, then answers from the shared docs with links to them", async () => {
    const triggerId = `${Date.now()}.${randomUUID()}`;
    const form = commandForm(`ask when does the ${openWord} settlement job run?`, triggerId);
    const first = await post(form);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ response_type: "ephemeral", text: expect.stringContaining(openWord) });

    await expect.poll(() => followUps.length, { timeout: 20_000, interval: 100 }).toBeGreaterThanOrEqual(1);
    const reply = followUps.at(-1)!;
    expect(reply.path).toBe("/commands/1234/5678");
    expect(reply.body.response_type).toBe("ephemeral");
    expect(reply.body.text).toContain(`${openWord} settlement job runs nightly`);
    expect(reply.body.text).toContain(`https://devflow.test/${acme.organization.slug}/documents/${openDocId}`);

    // Slack retrying the same command (same trigger_id) is stored once and answered once.
    const again = await post(form);
    expect(again.status).toBe(200);
    const stored = await t.db.withTenant(acme.ctx, (tx) =>
      tx.webhookDelivery.findMany({ where: { provider: "slack", deliveryId: `command:${triggerId}` } }),
    );
    expect(stored).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(followUps.filter((f) => f.body.text.includes(openWord))).toHaveLength(1);
  });

  it("never answers from a private project: Slack does not say who the person is in DevFlow", async () => {
    const before = followUps.length;
    expect((await post(commandForm(`ask when does the ${privateWord} deal close?`))).status).toBe(200);
    await expect.poll(() => followUps.length, { timeout: 20_000, interval: 100 }).toBeGreaterThan(before);
    expect(followUps.at(-1)!.body.text).not.toContain("closes in March");
  });

  it("answers help at once and refuses what is not a slash command", async () => {
    const help = await post(commandForm("help"));
    expect(help).toMatchObject({ status: 200, body: { text: expect.stringContaining("/devflow ask") } });
    const bad = await post(new URLSearchParams({ command: "/devflow", text: "ask x" }).toString());
    expect(bad.status).toBe(400);
    const interactive = await post(new URLSearchParams({ payload: "{}" }).toString());
    expect(interactive.status).toBe(415);
  });
});
