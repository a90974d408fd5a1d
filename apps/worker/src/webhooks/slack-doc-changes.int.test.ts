import { randomBytes } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createIntegrationsService } from "@devflow/domain-integrations";
import { createProjectsService } from "@devflow/domain-projects";
import { createPgBossEventBus, pgliteBossDb, type EventBus } from "@devflow/events";
import { startFakeSlack, type FakeSlack } from "@devflow/integrations/testing";
import { createLogger } from "@devflow/observability";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { loadConfig, WorkerConfigSchema } from "@devflow/util-config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkerServer } from "../server";

// Doc changes told to a Slack channel: the worker relays document.created / document.archived from
// the outbox and posts with the organization's bot token through the Slack Web API (a loopback
// server speaking its documented wire format).

const BOT_TOKEN = `xoxb-${randomBytes(12).toString("hex")}`;
const CHANNEL = "C0DEVFLOW1";
const key = new Uint8Array(randomBytes(32));

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let slack: FakeSlack;
let bus: EventBus;
let worker: { listen(): Promise<string>; close(): Promise<void> };

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  slack = await startFakeSlack({ token: BOT_TOKEN, channels: [CHANNEL] });
  const integrations = createIntegrationsService(t.db, { encryptionKey: key });
  await integrations.connectSlack(acme.ctx, {
    signingSecret: randomBytes(16).toString("hex"),
    botToken: BOT_TOKEN,
    notifyChannel: CHANNEL,
  });
  bus = createPgBossEventBus(
    t.pglite ? { db: pgliteBossDb(t.pglite) } : { connectionString: t.appUrl!, pollingIntervalSeconds: 0.5 },
  );
  worker = createWorkerServer({
    config: {
      ...loadConfig("worker", WorkerConfigSchema, {
        HOST: "127.0.0.1",
        PUBLIC_URL: "https://devflow.test",
        SLACK_API_URL: slack.apiUrl,
      }),
      port: 0,
    },
    db: t.db,
    logger: createLogger({ service: "worker", level: "silent" }),
    encryptionKey: key,
    bus,
  });
  await worker.listen();
});
afterAll(async () => {
  await worker?.close();
  await slack?.close();
  await t?.drop();
});

describe("doc changes in Slack", () => {
  it("posts new and archived docs of shared projects to the chosen channel, once each, never a private project's", async () => {
    const projects = createProjectsService(t.db);
    const documents = createDocumentsService(t.db);
    const shared = await projects.create(acme.ctx, { name: "Payments <core>", description: "" });
    const hidden = await projects.create(acme.ctx, { name: "Board", description: "", visibility: "private" });
    const doc = await documents.create(acme.ctx, shared.id, {
      title: "Refunds & retries",
      kind: "design_doc",
      content: "",
    });
    await documents.create(acme.ctx, hidden.id, { title: "Acquisition plan", kind: "design_doc", content: "" });
    await documents.update(acme.ctx, doc.id, { archived: true });
    // Another organization's doc never reaches Acme's channel.
    const elsewhere = await createProjectsService(t.db).create(globex.ctx, { name: "Other", description: "" });
    await documents.create(globex.ctx, elsewhere.id, { title: "Globex roadmap", kind: "design_doc", content: "" });

    await expect.poll(() => slack.messages.length, { timeout: 20_000, interval: 100 }).toBe(2);
    const link = `<https://devflow.test/${acme.organization.slug}/documents/${doc.id}|Refunds &amp; retries>`;
    const created = slack.messages.find((m) => m.text.includes("was created"));
    const archived = slack.messages.find((m) => m.text.includes("was archived"));
    expect(created).toMatchObject({ channel: CHANNEL });
    expect(created!.text).toContain(link);
    expect(created!.text).toContain("*Payments &lt;core&gt;*");
    expect(created!.text).toContain("by Owner");
    expect(archived!.text).toContain(link);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(slack.messages.map((m) => m.text).join("\n")).not.toMatch(/Acquisition plan|Globex roadmap/);
    expect(slack.messages).toHaveLength(2);
  });

  it("keeps the bot token sealed: the integration row never holds it in the clear", async () => {
    const rows = await t.db.withTenant(acme.ctx, (tx) => tx.integration.findMany({ where: { provider: "slack" } }));
    expect(JSON.stringify(rows.map((r) => r.config))).not.toContain(BOT_TOKEN);
    expect(rows[0]!.config).toMatchObject({ notifyChannel: CHANNEL });
  });
});
