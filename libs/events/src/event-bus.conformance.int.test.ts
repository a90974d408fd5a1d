import { createTestDatabase, testDatabaseTarget } from "@devflow/db/testing";
import { buildOrganization } from "@devflow/testing";
import { PubSub } from "@google-cloud/pubsub";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeadLetter, EventBus, EventHandler } from "./event-bus";
import { createPgBossEventBus } from "./pg-boss-bus";
import { pgliteBossDb } from "./pglite-boss-db";
import { handlePush, type PubSubPushVerifier } from "./pubsub-push";
import { createPubSubEventBus, pubSubDeadLetterTopicName, pubSubTopicName } from "./pubsub-bus";
import { PUBSUB_ATTRIBUTES } from "./pubsub-delivery";
import {
  buildEvent,
  describeEventBusConformance,
  until,
  type EventBusConformanceSetup,
} from "./testing/event-bus-conformance";
import { startPubSubEmulator, type PubSubEmulator } from "./testing/pubsub-emulator";

// One suite, every transport: the Postgres one on the server and on embedded PGlite (as
// event-bus.int.test.ts builds it), Pub/Sub against the official emulator on the server only (its
// dead letters live in Postgres; the emulator is a JVM the embedded run has no use for).

describeEventBusConformance(`pg-boss on ${testDatabaseTarget()}`, async () => {
  const t = await createTestDatabase();
  return {
    db: t.db,
    acme: await buildOrganization(t.db, "Acme"),
    globex: await buildOrganization(t.db, "Globex"),
    createBus: (options) =>
      createPgBossEventBus({
        ...(t.pglite ? { db: pgliteBossDb(t.pglite) } : { connectionString: t.appUrl!, pollingIntervalSeconds: 0.5 }),
        ...options,
      }),
    teardown: () => t.drop(),
  };
});

describe.skipIf(testDatabaseTarget() === "embedded")("Pub/Sub", () => {
  // A project of its own per file: the emulator keeps every project's topics while it runs.
  const projectId = `devflow-conformance-${randomUUID().slice(0, 8)}`;
  let emulator: PubSubEmulator;
  let setup: EventBusConformanceSetup;

  beforeAll(async () => {
    emulator = await startPubSubEmulator();
    const t = await createTestDatabase();
    setup = {
      db: t.db,
      acme: await buildOrganization(t.db, "Acme"),
      globex: await buildOrganization(t.db, "Globex"),
      createBus: (options) => createPubSubEventBus({ projectId, emulatorHost: emulator.host, db: t.db, ...options }),
      teardown: () => t.drop(),
    };
  }, 60_000);
  afterAll(async () => {
    await setup?.teardown();
    await emulator?.stop();
  });

  // The suite's own teardown is a no-op here: the database and emulator outlive it for the cases below.
  describeEventBusConformance("Pub/Sub on the emulator", async () => ({ ...setup, teardown: async () => {} }));

  describe("what only Pub/Sub needs", () => {
    let bus: EventBus;
    let admin: PubSub;
    beforeAll(() => {
      bus = setup.createBus();
      admin = new PubSub({
        projectId,
        apiEndpoint: emulator.host,
        emulatorMode: true,
        universeDomain: "googleapis.com",
      });
    });
    afterAll(async () => {
      await bus?.close();
      await admin?.close();
    });

    it("keeps Pub/Sub's own dead-letter policy at its minimum of 5 attempts when the handler's is lower", async () => {
      const name = `pubsub-policy-${randomUUID().slice(0, 8)}`;
      await bus.subscribe(
        { name, type: "document.created", handle: async () => {} },
        { maxAttempts: 2, baseDelaySeconds: 3 },
      );
      const [metadata] = await admin.subscription(name).getMetadata();
      expect(metadata.topic).toBe(`projects/${projectId}/topics/${pubSubTopicName("document.created")}`);
      expect(metadata.deadLetterPolicy).toMatchObject({
        deadLetterTopic: `projects/${projectId}/topics/${pubSubDeadLetterTopicName(name)}`,
        maxDeliveryAttempts: 5,
      });
      expect(metadata.retryPolicy?.minimumBackoff).toMatchObject({ seconds: "3" });
      expect(metadata.filter).toBe(`attributes.handler = "${name}" OR NOT attributes:handler`);
    });

    it("files an event that is not in the catalog as a dead letter at once, under the organization it names", async () => {
      const name = `pubsub-invalid-${randomUUID().slice(0, 8)}`;
      let calls = 0;
      await bus.subscribe(
        { name, type: "document.created", handle: async () => void calls++ },
        { maxAttempts: 3, baseDelaySeconds: 1 },
      );
      const event = { ...buildEvent("document.created", setup.acme), data: { title: 42 } };
      await admin.topic(pubSubTopicName("document.created")).publishMessage({
        json: event,
        attributes: { [PUBSUB_ATTRIBUTES.eventId]: event.id, [PUBSUB_ATTRIBUTES.organizationId]: event.organizationId },
      });
      // Every handler of the type files its own dead letter; this one's is the one to look at.
      const letter = await until(async () =>
        (await bus.listDeadLetters(setup.acme.organization.id)).find(
          (l) => l.event.id === event.id && l.handler === name,
        ),
      );
      expect(letter).toMatchObject({ attempts: 1, event: { data: { title: 42 } } });
      expect(letter.error).toMatch(/Invalid document.created v1 payload/);
      expect(calls).toBe(0);
    });

    it("files what Pub/Sub's dead-letter policy forwarded, with the attempts Pub/Sub counted", async () => {
      const name = `pubsub-forwarded-${randomUUID().slice(0, 8)}`;
      await bus.subscribe({ name, type: "document.archived", handle: async () => {} });
      const event = buildEvent("document.archived", setup.globex);
      // What Pub/Sub publishes to the dead-letter topic when a worker died on every attempt.
      await admin.topic(pubSubDeadLetterTopicName(name)).publishMessage({
        json: event,
        attributes: { CloudPubSubDeadLetterSourceDeliveryCount: "5", [PUBSUB_ATTRIBUTES.eventId]: event.id },
      });
      const letter = await until(async () =>
        (await bus.listDeadLetters(setup.globex.organization.id)).find((l) => l.event.id === event.id),
      );
      expect(letter).toMatchObject({ handler: name, attempts: 5, event });
      expect(letter.error).toMatch(/after 5 delivery attempts/);
      expect((await bus.listDeadLetters(setup.acme.organization.id)).some((l) => l.event.id === event.id)).toBe(false);
    });

    it("tells the dead-letter hook of what Pub/Sub forwarded once, however often it is filed", async () => {
      const name = `pubsub-forwarded-hook-${randomUUID().slice(0, 8)}`;
      const heard: DeadLetter[] = [];
      const hooked = setup.createBus({ onDeadLetter: async (letter) => void heard.push(letter) });
      try {
        await hooked.subscribe({ name, type: "document.archived", handle: async () => {} });
        const event = buildEvent("document.archived", setup.acme);
        const forward = (count: string) =>
          admin.topic(pubSubDeadLetterTopicName(name)).publishMessage({
            json: event,
            attributes: { CloudPubSubDeadLetterSourceDeliveryCount: count, [PUBSUB_ATTRIBUTES.eventId]: event.id },
          });
        await forward("5");
        const letter = await until(() => heard.find((l) => l.event.id === event.id));
        expect(letter).toMatchObject({ handler: name, attempts: 5, event });
        // The same dead letter again (an ack that was lost): filed again, not news.
        await forward("6");
        await until(async () =>
          (await hooked.listDeadLetters(setup.acme.organization.id)).find(
            (l) => l.event.id === event.id && l.attempts === 6,
          ),
        );
        expect(heard.filter((l) => l.event.id === event.id)).toHaveLength(1);
      } finally {
        await hooked.close();
      }
    });
  });
});

// Push deliveries need no emulator: Cloud Run receives them over HTTP. What they file goes to the
// same table, under row-level security, so this runs on both databases.
describe("Pub/Sub push deliveries", () => {
  let t: Awaited<ReturnType<typeof createTestDatabase>>;
  let setup: Omit<EventBusConformanceSetup, "createBus" | "teardown">;
  let bus: EventBus;
  // The verifier has its own tests (pubsub-push.test.ts); here every request is Pub/Sub's.
  const verifier: PubSubPushVerifier = {
    verify: async () => ({ email: "pubsub-push@devflow-test.iam.gserviceaccount.com" }),
  };
  const handler: EventHandler = {
    name: "push-notify",
    type: "document.archived",
    handle: async () => {
      throw new Error("Slack is down");
    },
  };
  const envelope = (data: unknown, attributes: Record<string, string>, deliveryAttempt: number) => ({
    message: { data: Buffer.from(JSON.stringify(data)).toString("base64"), attributes, messageId: randomUUID() },
    subscription: "projects/devflow-test/subscriptions/push-notify",
    deliveryAttempt,
  });

  beforeAll(async () => {
    t = await createTestDatabase();
    setup = { db: t.db, acme: await buildOrganization(t.db, "Acme"), globex: await buildOrganization(t.db, "Globex") };
    // Only its database side is used: listing dead letters opens no connection to Pub/Sub.
    bus = createPubSubEventBus({ projectId: "devflow-push-test", emulatorHost: "127.0.0.1:9", db: t.db });
  });
  afterAll(async () => {
    await bus?.close();
    await t?.drop();
  });

  it("files the last failed attempt as a dead letter of its organization and acks it", async () => {
    const event = buildEvent("document.archived", setup.acme);
    const push = (attempt: number) =>
      handlePush(
        handler,
        { authorization: "Bearer x", body: envelope(event, {}, attempt) },
        { verifier, db: t.db, policy: { maxAttempts: 3 } },
      );
    expect(await push(2)).toEqual({ status: 500, outcome: "retry" });
    expect((await bus.listDeadLetters(setup.acme.organization.id)).some((l) => l.event.id === event.id)).toBe(false);
    expect(await push(3)).toEqual({ status: 204, outcome: "dead-lettered" });
    const letters = await bus.listDeadLetters(setup.acme.organization.id);
    expect(letters.find((l) => l.event.id === event.id)).toMatchObject({
      handler: handler.name,
      attempts: 3,
      error: "Slack is down",
      event,
    });
    expect((await bus.listDeadLetters(setup.globex.organization.id)).some((l) => l.event.id === event.id)).toBe(false);
  });

  it("files a delivery from the dead-letter topic with the attempts Pub/Sub counted", async () => {
    const event = buildEvent("document.archived", setup.globex);
    const body = envelope(event, { CloudPubSubDeadLetterSourceDeliveryCount: "7" }, 1);
    expect(await handlePush(handler, { authorization: "Bearer x", body }, { verifier, db: t.db })).toEqual({
      status: 204,
      outcome: "dead-lettered",
    });
    const letter = (await bus.listDeadLetters(setup.globex.organization.id)).find((l) => l.event.id === event.id);
    expect(letter).toMatchObject({ handler: handler.name, attempts: 7, event });
  });
});
