import type { DomainEvent } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyOnce } from "./apply-once";
import type { EventBus } from "./event-bus";
import { recordEvent } from "./outbox";
import { createOutboxRelay } from "./outbox-relay";
import { createPgBossEventBus } from "./pg-boss-bus";
import { pgliteBossDb } from "./pglite-boss-db";
import { until } from "./testing/event-bus-conformance";

// The outbox and the relay end to end on the Postgres transport, on the app role: events written in
// their change's transaction, the relay moves them to pg-boss, handlers apply them once. What every
// transport owes its handlers (routing, retries, dead letters, close) is event-bus.conformance.int.test.ts.

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let bus: EventBus;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  bus = createPgBossEventBus(
    t.pglite ? { db: pgliteBossDb(t.pglite) } : { connectionString: t.appUrl!, pollingIntervalSeconds: 0.5 },
  );
});
afterAll(async () => {
  await bus?.close();
  await t?.drop();
});

const unpublished = (organizationId: string) =>
  t.db.withTenant({ organizationId }, (tx) => tx.outboxEvent.count({ where: { publishedAt: null } }));

describe("outbox", () => {
  it("holds an event only if the change that caused it commits", async () => {
    const before = await unpublished(acme.organization.id);
    await expect(
      t.db.withTenant(acme.ctx, async (tx) => {
        await recordEvent(tx, {
          type: "document.archived",
          organizationId: acme.organization.id,
          data: { documentId: randomUUID(), projectId: randomUUID(), archivedById: null },
        });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await unpublished(acme.organization.id)).toBe(before);
  });

  it("refuses a payload the catalog does not allow, before anything is written", async () => {
    await expect(
      t.db.withTenant(acme.ctx, (tx) =>
        recordEvent(tx, {
          type: "document.created",
          organizationId: acme.organization.id,
          data: { documentId: "not-a-uuid" } as never,
        }),
      ),
    ).rejects.toThrow();
  });

  it("keeps each organization's events to itself", async () => {
    await t.db.withTenant(globex.ctx, (tx) =>
      recordEvent(tx, {
        type: "document.archived",
        organizationId: globex.organization.id,
        data: { documentId: randomUUID(), projectId: randomUUID(), archivedById: null },
      }),
    );
    const seenByAcme = await t.db.withTenant(acme.ctx, (tx) =>
      tx.outboxEvent.findMany({ where: { organizationId: globex.organization.id } }),
    );
    expect(seenByAcme).toEqual([]);
    await expect(
      t.db.withTenant(acme.ctx, (tx) =>
        recordEvent(tx, {
          type: "document.archived",
          organizationId: globex.organization.id,
          data: { documentId: randomUUID(), projectId: randomUUID(), archivedById: null },
        }),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});

describe("relay and handlers", () => {
  it("delivers every committed event to each subscribed handler, once, even when published twice", async () => {
    const applied: string[] = [];
    const seen: DomainEvent[] = [];
    const handler = "test-created-counter";
    await bus.subscribe({
      name: handler,
      type: "document.created",
      async handle(event) {
        seen.push(event);
        await applyOnce(t.db, handler, event, async () => {
          applied.push(event.id);
        });
      },
    });
    const relay = createOutboxRelay(t.db, bus, { batchSize: 2 });
    const ids = await Promise.all(
      ["A", "B", "C"].map((title) =>
        t.db.withTenant(acme.ctx, (tx) =>
          recordEvent(tx, {
            type: "document.created",
            organizationId: acme.organization.id,
            data: { documentId: randomUUID(), projectId: randomUUID(), title, createdById: null },
          }),
        ),
      ),
    );
    while ((await relay.relayOnce()) > 0);
    expect(await unpublished(acme.organization.id)).toBe(0);
    expect(await unpublished(globex.organization.id)).toBe(0);

    await until(async () => ids.every((id) => applied.includes(id)));
    // The relay crashed after publishing but before marking: the same events go out again.
    const again = await t.db.withSystem("test: republish", (tx) =>
      tx.outboxEvent.findMany({ where: { id: { in: ids } } }),
    );
    await bus.publish(
      again.map((row) => ({
        id: row.id,
        type: "document.created",
        version: row.version,
        organizationId: row.organizationId,
        occurredAt: row.createdAt.toISOString(),
        data: row.payload as never,
      })),
    );
    // A handler that sees an event twice anyway (a redelivery after a lost ack) applies it once.
    const first = seen.find((e) => e.id === ids[0])!;
    expect(await applyOnce(t.db, handler, first, async () => void applied.push(first.id))).toBe(false);
    // A newer event relayed behind the repeats: once it is applied, so is anything queued before it.
    const later = await t.db.withTenant(acme.ctx, (tx) =>
      recordEvent(tx, {
        type: "document.created",
        organizationId: acme.organization.id,
        data: { documentId: randomUUID(), projectId: randomUUID(), title: "D", createdById: null },
      }),
    );
    while ((await relay.relayOnce()) > 0);
    await until(async () => applied.includes(later));
    expect(applied.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
    expect(seen.find((e) => e.id === ids[1])).toMatchObject({
      type: "document.created",
      version: 1,
      organizationId: acme.organization.id,
      data: { title: expect.any(String), createdById: null },
    });
  });

  it("gives a handler's queue the handler's own retry policy and expiry, over the defaults", async () => {
    const patient = "test-patient-handler";
    await bus.subscribe({
      name: patient,
      type: "document.archived",
      retry: { maxAttempts: 12, expireInSeconds: 180 },
      async handle() {},
    });
    await bus.subscribe({ name: "test-default-handler", type: "document.archived", async handle() {} });
    const queues = await t.owner.query<{
      name: string;
      retry_limit: number;
      retry_delay: number;
      expire_seconds: number;
    }>(
      `SELECT name, retry_limit, retry_delay, expire_seconds FROM pgboss.queue WHERE name = ANY($1::text[]) ORDER BY name`,
      [[patient, "test-default-handler"]],
    );
    expect(queues).toEqual([
      { name: "test-default-handler", retry_limit: 4, retry_delay: 5, expire_seconds: 900 },
      { name: patient, retry_limit: 11, retry_delay: 5, expire_seconds: 180 },
    ]);
  });

  it("leaves events unpublished, with the error recorded, while the bus refuses them", async () => {
    const failing = createOutboxRelay(t.db, {
      publish: async () => {
        throw new Error("bus unavailable");
      },
    });
    const id = await t.db.withTenant(acme.ctx, (tx) =>
      recordEvent(tx, {
        type: "document.archived",
        organizationId: acme.organization.id,
        data: { documentId: randomUUID(), projectId: randomUUID(), archivedById: null },
      }),
    );
    await expect(failing.relayOnce()).rejects.toThrow("bus unavailable");
    const row = await t.db.withTenant(acme.ctx, (tx) => tx.outboxEvent.findUnique({ where: { id } }));
    expect(row).toMatchObject({ publishedAt: null, lastError: "bus unavailable" });
    expect(row!.attempts).toBeGreaterThanOrEqual(1);
    // The bus is back: the same event goes out.
    while ((await createOutboxRelay(t.db, bus).relayOnce()) > 0);
    const after = await t.db.withTenant(acme.ctx, (tx) => tx.outboxEvent.findUnique({ where: { id } }));
    expect(after!.publishedAt).not.toBeNull();
  });
});
