import { randomUUID } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createPgBossEventBus, pgliteBossDb, recordEvent } from "@devflow/events";
import { createLogger } from "@devflow/observability";
import { describeServiceServer } from "@devflow/observability/testing";
import { describeServiceTokenAuth } from "@devflow/runtime/testing";
import { WorkerConfigSchema, loadConfig } from "@devflow/util-config";
import { buildOrganization } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkerServer } from "./server";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

const config = { ...loadConfig("worker", WorkerConfigSchema, { HOST: "127.0.0.1" }), port: 0 };

describeServiceServer("worker", ({ logger, ping }) =>
  createWorkerServer({ config, db: ping ? { ...t.db, ping } : t.db, logger }),
);

describeServiceTokenAuth("devflow-worker", "devflow-ai", (jwksUrl) =>
  createWorkerServer({
    config: { ...config, SERVICE_TOKEN_JWKS_URL: jwksUrl },
    db: t.db,
    logger: createLogger({ service: "worker", level: "silent" }),
  }),
);

describe("outbox relay", () => {
  it("moves events committed while it runs to their handlers, and stops with the worker", async () => {
    const acme = await buildOrganization(t.db, "Acme");
    const bus = createPgBossEventBus(t.pglite ? { db: pgliteBossDb(t.pglite) } : { connectionString: t.appUrl! });
    const received: string[] = [];
    await bus.subscribe({
      name: "worker-test-archived",
      type: "document.archived",
      handle: async (event) => void received.push(event.id),
    });
    const worker = createWorkerServer({
      config,
      db: t.db,
      logger: createLogger({ service: "worker", level: "silent" }),
      bus,
    });
    await worker.listen();
    try {
      const eventId = await t.db.withTenant(acme.ctx, (tx) =>
        recordEvent(tx, {
          type: "document.archived",
          organizationId: acme.organization.id,
          data: { documentId: randomUUID(), projectId: randomUUID(), archivedById: acme.owner.id },
        }),
      );
      await expect.poll(() => received, { timeout: 15_000, interval: 100 }).toContain(eventId);
    } finally {
      await worker.close();
    }
  });
});
