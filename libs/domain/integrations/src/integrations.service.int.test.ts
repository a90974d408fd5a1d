import { randomBytes, randomUUID } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createOutboxRelay, createPgBossEventBus, pgliteBossDb, recordEvent, type EventBus } from "@devflow/events";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIntegrationsService } from "./integrations.service";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let bus: EventBus;
let integrations: ReturnType<typeof createIntegrationsService>;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  integrations = createIntegrationsService(t.db, { encryptionKey: new Uint8Array(randomBytes(32)) });
  bus = createPgBossEventBus(t.pglite ? { db: pgliteBossDb(t.pglite) } : { connectionString: t.appUrl! });
});
afterAll(async () => {
  await bus?.close();
  await t?.drop();
});

describe("integrations service", () => {
  it("lists an organization's own integrations to its admins only", async () => {
    const hook = await integrations.connectGithubWebhook(acme.ctx);
    await integrations.connectGithubWebhook(globex.ctx);
    const listed = await integrations.list(acme.ctx);
    expect(listed).toEqual([
      expect.objectContaining({ id: hook.integrationId, provider: "github", kind: "webhook", deliveriesLastDay: 0 }),
    ]);
    const member = await acme.addMember("member");
    await expect(integrations.list(member)).rejects.toMatchObject({ code: "forbidden" });
    await expect(integrations.listFailedJobs(member)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("shows admins their organization's failed jobs, and retrying one gives it back to its handler", async () => {
    let healthy = false;
    const handled: string[] = [];
    await bus.subscribe(
      {
        name: "integration-test-notifier",
        type: "document.archived",
        async handle(event) {
          if (!healthy) throw new Error("SMTP server refused the message");
          handled.push(event.id);
        },
      },
      { maxAttempts: 1, baseDelaySeconds: 1 },
    );
    const eventId = await t.db.withTenant(acme.ctx, (tx) =>
      recordEvent(tx, {
        type: "document.archived",
        organizationId: acme.organization.id,
        data: { documentId: randomUUID(), projectId: randomUUID(), archivedById: null },
      }),
    );
    while ((await createOutboxRelay(t.db, bus).relayOnce()) > 0);

    await expect
      .poll(async () => (await integrations.listFailedJobs(acme.ctx)).map((j) => j.eventId), { timeout: 20_000 })
      .toContain(eventId);
    const [job] = (await integrations.listFailedJobs(acme.ctx)).filter((j) => j.eventId === eventId);
    expect(job).toMatchObject({
      handler: "integration-test-notifier",
      eventType: "document.archived",
      attempts: 1,
      error: "SMTP server refused the message",
    });
    expect(await integrations.listFailedJobs(globex.ctx)).toEqual([]);
    await expect(
      integrations.retryFailedJob(globex.ctx, { handler: "integration-test-notifier", eventId }),
    ).rejects.toMatchObject({ code: "not_found" });

    healthy = true;
    await integrations.retryFailedJob(acme.ctx, { handler: "integration-test-notifier", eventId });
    await expect.poll(() => handled, { timeout: 20_000 }).toContain(eventId);
    expect((await integrations.listFailedJobs(acme.ctx)).some((j) => j.eventId === eventId)).toBe(false);
  });

  it("queues a failed event afresh when its failed job was already archived", async () => {
    const handled: string[] = [];
    let healthy = false;
    await bus.subscribe(
      {
        name: "integration-test-archived",
        type: "document.created",
        async handle(event) {
          if (!healthy) throw new Error("down");
          handled.push(event.id);
        },
      },
      { maxAttempts: 1, baseDelaySeconds: 1 },
    );
    const eventId = await t.db.withTenant(acme.ctx, (tx) =>
      recordEvent(tx, {
        type: "document.created",
        organizationId: acme.organization.id,
        data: { documentId: randomUUID(), projectId: randomUUID(), title: "Archived", createdById: null },
      }),
    );
    while ((await createOutboxRelay(t.db, bus).relayOnce()) > 0);
    await expect
      .poll(async () => (await integrations.listFailedJobs(acme.ctx)).map((j) => j.eventId), { timeout: 20_000 })
      .toContain(eventId);
    // What pg-boss's maintenance does to old failed jobs: move them out of the job table.
    await t.owner.query(`DELETE FROM pgboss.job WHERE name = 'integration-test-archived' AND id = $1::uuid`, [eventId]);

    healthy = true;
    await integrations.retryFailedJob(acme.ctx, { handler: "integration-test-archived", eventId });
    await expect.poll(() => handled, { timeout: 20_000 }).toContain(eventId);
  });
});
