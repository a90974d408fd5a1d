import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { createTestDatabase, testDatabaseTarget, type TestDatabase } from "@devflow/db/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createOutboxRelay } from "./outbox-relay";
import { recordEvent } from "./outbox";
import { createPgBossEventBus } from "./pg-boss-bus";

// Kill the worker mid-job (SIGKILL, as a crash or an evicted container): the job comes back once it
// expires, is redone by the next worker, and its effect happens once. Real processes on the
// PostgreSQL server; the embedded database is one process, so it has nothing to crash apart.

const CHILD = path.join(import.meta.dirname, "testing", "crash-worker.ts");

interface Message {
  type: "ready" | "started" | "applied" | "skipped";
  eventId?: string;
}

let t: TestDatabase;
let acme: OrganizationFixture;
const children: ChildProcess[] = [];
const messages: Message[] = [];

function startWorker(mode: "hang" | "apply-then-hang" | "normal", handler: string): Promise<ChildProcess> {
  const child = fork(CHILD, [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, DATABASE_URL: t.appUrl!, MODE: mode, HANDLER: handler },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.on("message", (message: Message) => {
      messages.push(message);
      if (message.type === "ready") resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
  });
}

async function crash(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

async function publishArchived(): Promise<string> {
  const eventId = await t.db.withTenant(acme.ctx, (tx) =>
    recordEvent(tx, {
      type: "document.archived",
      organizationId: acme.organization.id,
      data: { documentId: randomUUID(), projectId: randomUUID(), archivedById: null },
    }),
  );
  const bus = createPgBossEventBus({ connectionString: t.appUrl! });
  try {
    while ((await createOutboxRelay(t.db, bus).relayOnce()) > 0);
  } finally {
    await bus.close();
  }
  return eventId;
}

const seen = (type: Message["type"], eventId: string) =>
  messages.filter((m) => m.type === type && m.eventId === eventId).length;

const markers = (handler: string, eventId: string) =>
  t.db.withTenant(acme.ctx, (tx) => tx.processedEvent.count({ where: { handler, eventId } }));

describe.skipIf(testDatabaseTarget() === "embedded")("a worker killed mid-job", () => {
  beforeAll(async () => {
    t = await createTestDatabase();
    acme = await buildOrganization(t.db, "Acme");
  });
  afterEach(async () => {
    await Promise.all(
      children
        .splice(0)
        .map((child) => (child.exitCode === null && child.signalCode === null ? crash(child) : undefined)),
    );
  });
  afterAll(async () => {
    await t?.drop();
  });

  it("leaves its job to the next worker, which does it", { timeout: 60_000 }, async () => {
    const handler = "crash-test-before-effect";
    const first = await startWorker("hang", handler);
    const eventId = await publishArchived();
    await expect.poll(() => seen("started", eventId), { timeout: 20_000 }).toBe(1);
    await crash(first);
    expect(await markers(handler, eventId)).toBe(0);

    await startWorker("normal", handler);
    await expect.poll(() => seen("applied", eventId), { timeout: 30_000, interval: 200 }).toBe(1);
    expect(await markers(handler, eventId)).toBe(1);
  });

  it("does not repeat an effect that committed before the crash", { timeout: 60_000 }, async () => {
    const handler = "crash-test-after-effect";
    const first = await startWorker("apply-then-hang", handler);
    const eventId = await publishArchived();
    await expect.poll(() => seen("applied", eventId), { timeout: 20_000 }).toBe(1);
    await crash(first);

    await startWorker("normal", handler);
    await expect.poll(() => seen("skipped", eventId), { timeout: 30_000, interval: 200 }).toBe(1);
    expect(seen("applied", eventId)).toBe(1);
    expect(await markers(handler, eventId)).toBe(1);
  });
});
