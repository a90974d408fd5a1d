import { EVENT_CATALOG, type DomainEvent, type EventType } from "@devflow/contracts";
import type { Database } from "@devflow/db";
import type { OrganizationFixture } from "@devflow/testing";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyOnce } from "../apply-once";
import type { DeadLetter, DeadLetterHook, EventBus, RetryPolicy } from "../event-bus";

/** What a transport's test file hands the suite. */
export interface EventBusConformanceSetup {
  /**
   * A new bus on the transport under test, over `db`, with the given options (the dead-letter
   * hook); the suite closes every bus it asks for.
   */
  createBus(options?: BusOptions): EventBus;
  /** The migrated test database, on the app role (handlers use it through applyOnce). */
  db: Database;
  /** Two organizations: one's dead letters must stay out of the other's sight and reach. */
  acme: OrganizationFixture;
  globex: OrganizationFixture;
  /** Drops what setup made (the database, an emulator). */
  teardown(): Promise<void>;
}

/** What the suite sets on a bus it asks for; every transport takes these options. */
export interface BusOptions {
  onDeadLetter?: DeadLetterHook;
}

/**
 * The behaviour every EventBus transport owes its handlers, run once per transport, like the
 * OpStore contract: routing by type, idempotent effects under redelivery, retries with backoff,
 * dead letters per organization and an admin's retry, and a close() that lets running work end.
 * Handler names are unique per case, so cases share one bus without seeing each other's events.
 */
export function describeEventBusConformance(name: string, setup: () => Promise<EventBusConformanceSetup>) {
  describe(`EventBus conformance: ${name}`, () => {
    let fixture: EventBusConformanceSetup;
    let bus: EventBus;
    const buses: EventBus[] = [];
    const newBus = (options?: BusOptions) => {
      const created = fixture.createBus(options);
      buses.push(created);
      return created;
    };

    beforeAll(async () => {
      fixture = await setup();
      bus = newBus();
    });
    afterAll(async () => {
      await Promise.all(buses.map((b) => b.close()));
      await fixture?.teardown();
    });

    it("delivers each event to every handler of its type, and to none of another type", async () => {
      const seen = { first: [] as DomainEvent[], second: [] as DomainEvent[], archived: [] as DomainEvent[] };
      const suffix = randomUUID().slice(0, 8);
      for (const [key, type] of [
        ["first", "document.created"],
        ["second", "document.created"],
        ["archived", "document.archived"],
      ] as const) {
        await bus.subscribe({
          name: `conformance-routing-${key}-${suffix}`,
          type,
          handle: async (event) => void seen[key].push(event),
        });
      }
      const created = [buildEvent("document.created", fixture.acme), buildEvent("document.created", fixture.globex)];
      const archived = buildEvent("document.archived", fixture.acme);
      await bus.publish([...created, archived]);

      const ids = (events: DomainEvent[]) => events.map((e) => e.id).sort();
      await until(() => ids(seen.first).length >= 2 && ids(seen.second).length >= 2 && seen.archived.length >= 1);
      expect(ids(seen.first)).toEqual(ids(created));
      expect(ids(seen.second)).toEqual(ids(created));
      expect(seen.archived.map((e) => e.id)).toEqual([archived.id]);
      // The event arrives as it was published, whatever carried it.
      expect(seen.first.find((e) => e.id === created[1]!.id)).toEqual(created[1]);
    });

    it("applies an event published twice only once, when its handler uses applyOnce", async () => {
      const handler = `conformance-once-${randomUUID().slice(0, 8)}`;
      const deliveries: string[] = [];
      const effects: string[] = [];
      await bus.subscribe({
        name: handler,
        type: "document.created",
        async handle(event) {
          deliveries.push(event.id);
          await applyOnce(fixture.db, handler, event, async () => void effects.push(event.id));
        },
      });
      const event = buildEvent("document.created", fixture.acme);
      await bus.publish([event]);
      await until(() => effects.includes(event.id));

      // The relay crashed after publishing and before marking: the same event goes out again.
      const later = buildEvent("document.created", fixture.acme);
      await bus.publish([event, later]);
      // Postgres drops the second copy by its job id; Pub/Sub delivers it again, and applyOnce absorbs it.
      await until(
        () => effects.includes(later.id) && (bus.transport === "postgres" || count(deliveries, event.id) >= 2),
      );
      expect(count(effects, event.id)).toBe(1);
      expect(count(effects, later.id)).toBe(1);
    });

    describe("a handler that keeps failing", () => {
      const policy: RetryPolicy = { maxAttempts: 3, baseDelaySeconds: 1 };
      const handler = `conformance-flaky-${randomUUID().slice(0, 8)}`;
      const bystander = `conformance-bystander-${randomUUID().slice(0, 8)}`;
      const attempts: number[] = [];
      const done: string[] = [];
      const bystanderSaw: string[] = [];
      let healthy = false;
      let event: DomainEvent<"document.archived">;
      let letter: DeadLetter;

      beforeAll(async () => {
        await bus.subscribe(
          {
            name: handler,
            type: "document.archived",
            async handle(received) {
              if (received.id !== event.id) return;
              attempts.push(Date.now());
              if (!healthy) throw new Error("Slack is down");
              done.push(received.id);
            },
          },
          policy,
        );
        await bus.subscribe({
          name: bystander,
          type: "document.archived",
          handle: async (e) => void bystanderSaw.push(e.id),
        });
        event = buildEvent("document.archived", fixture.globex);
        await bus.publish([event]);
        letter = await until(
          async () => (await bus.listDeadLetters(fixture.globex.organization.id)).find((l) => l.event.id === event.id),
          40_000,
        );
      }, 60_000);

      it("is retried with backoff, then dead-lettered after maxAttempts", () => {
        expect(attempts).toHaveLength(policy.maxAttempts);
        // Each wait is at least most of the base delay (exponential, with jitter): never a hot loop.
        for (let i = 1; i < attempts.length; i++) {
          expect(attempts[i]! - attempts[i - 1]!).toBeGreaterThan(policy.baseDelaySeconds * 1_000 * 0.8);
        }
        expect(letter).toMatchObject({ handler, attempts: policy.maxAttempts, error: "Slack is down", event });
        expect(Date.parse(letter.failedAt)).toBeGreaterThanOrEqual(attempts[0]! - 1_000);
        // The other handler of the type was not held back by it.
        expect(bystanderSaw).toContain(event.id);
      });

      it("shows the dead letter to its own organization only", async () => {
        expect((await bus.listDeadLetters(fixture.acme.organization.id)).some((l) => l.event.id === event.id)).toBe(
          false,
        );
      });

      it("refuses a retry by another organization", async () => {
        expect(await bus.retryDeadLetter(fixture.acme.organization.id, handler, event.id)).toBe(false);
        expect((await bus.listDeadLetters(fixture.globex.organization.id)).some((l) => l.event.id === event.id)).toBe(
          true,
        );
      });

      it("delivers it again to that handler alone when its organization retries it, and clears the dead letter", async () => {
        healthy = true;
        expect(await bus.retryDeadLetter(fixture.globex.organization.id, handler, event.id)).toBe(true);
        await until(() => done.includes(event.id));
        expect(attempts).toHaveLength(policy.maxAttempts + 1);
        expect((await bus.listDeadLetters(fixture.globex.organization.id)).some((l) => l.event.id === event.id)).toBe(
          false,
        );
        expect(await bus.retryDeadLetter(fixture.globex.organization.id, handler, event.id)).toBe(false);
        expect(count(bystanderSaw, event.id)).toBe(1);
      });
    });

    describe("the dead-letter hook", () => {
      it("hears of a dead letter once, after it is filed, with what an admin sees of it", async () => {
        const handler = `conformance-hook-${randomUUID().slice(0, 8)}`;
        const event = buildEvent("document.archived", fixture.acme);
        const later = buildEvent("document.archived", fixture.acme);
        const heard: { letter: DeadLetter; listed: boolean }[] = [];
        const done: string[] = [];
        const hooked = newBus({
          async onDeadLetter(letter) {
            const listed = (await hooked.listDeadLetters(letter.event.organizationId)).some(
              (l) => l.handler === letter.handler && l.event.id === letter.event.id,
            );
            heard.push({ letter, listed });
          },
        });
        await hooked.subscribe(
          {
            name: handler,
            type: "document.archived",
            async handle(received) {
              if (received.id === event.id) throw new Error("Slack is down");
              if (received.id === later.id) done.push(received.id);
            },
          },
          { maxAttempts: 2, baseDelaySeconds: 1 },
        );
        await hooked.publish([event]);
        const { letter, listed } = await until(() => heard.find((h) => h.letter.event.id === event.id), 40_000);
        expect(listed).toBe(true);
        expect(letter).toMatchObject({ handler, attempts: 2, error: "Slack is down", event });
        expect(Date.parse(letter.failedAt)).not.toBeNaN();
        // The handler moves on; nothing about the dead letter is heard again.
        await hooked.publish([later]);
        await until(() => done.includes(later.id));
        expect(heard.filter((h) => h.letter.event.id === event.id)).toHaveLength(1);
        expect(heard.map((h) => h.letter.event.id)).not.toContain(later.id);
      }, 60_000);

      it("keeps the dead letter, and the bus delivering, when the hook throws", async () => {
        const handler = `conformance-hook-broken-${randomUUID().slice(0, 8)}`;
        const event = buildEvent("document.archived", fixture.globex);
        const later = buildEvent("document.archived", fixture.globex);
        let calls = 0;
        const done: string[] = [];
        const hooked = newBus({
          async onDeadLetter() {
            calls++;
            throw new Error("the notifier is down");
          },
        });
        await hooked.subscribe(
          {
            name: handler,
            type: "document.archived",
            async handle(received) {
              if (received.id === event.id) throw new Error("Slack is down");
              if (received.id === later.id) done.push(received.id);
            },
          },
          { maxAttempts: 1, baseDelaySeconds: 1 },
        );
        await hooked.publish([event]);
        const letter = await until(async () =>
          (await hooked.listDeadLetters(fixture.globex.organization.id)).find(
            (l) => l.handler === handler && l.event.id === event.id,
          ),
        );
        expect(letter).toMatchObject({ attempts: 1, error: "Slack is down" });
        await until(() => calls > 0);
        await hooked.publish([later]);
        await until(() => done.includes(later.id));
        expect(calls).toBe(1);
      }, 60_000);
    });

    it("waits in close() for a handler that is running", async () => {
      const closing = newBus();
      const order: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const event = buildEvent("document.created", fixture.acme);
      await closing.subscribe({
        name: `conformance-close-${randomUUID().slice(0, 8)}`,
        type: "document.created",
        async handle(received) {
          if (received.id !== event.id) return;
          order.push("started");
          await gate;
          order.push("finished");
        },
      });
      await closing.publish([event]);
      await until(() => order.includes("started"));

      const closed = closing.close().then(() => void order.push("closed"));
      // Proving that close() has *not* returned needs a bounded wait; nothing can signal an absence.
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 300))]);
      expect(order).toEqual(["started"]);
      release();
      await closed;
      expect(order).toEqual(["started", "finished", "closed"]);
    });
  });
}

/** The event types the suite publishes. */
type SampleType = Extract<EventType, "document.created" | "document.archived">;

/** A valid event of the catalog for an organization (the ids it names need not exist). */
export function buildEvent<T extends SampleType>(type: T, org: OrganizationFixture): DomainEvent<T> {
  const samples: Record<SampleType, unknown> = {
    "document.created": {
      documentId: randomUUID(),
      projectId: randomUUID(),
      title: "Design doc",
      createdById: org.owner.id,
    },
    "document.archived": { documentId: randomUUID(), projectId: randomUUID(), archivedById: null },
  };
  return {
    id: randomUUID(),
    type,
    version: EVENT_CATALOG[type].version,
    organizationId: org.organization.id,
    occurredAt: new Date().toISOString(),
    data: EVENT_CATALOG[type].data.parse(samples[type]) as DomainEvent<T>["data"],
  };
}

/** Polls until `probe` returns something truthy (events arrive asynchronously; never a fixed sleep). */
export async function until<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${probe.toString().slice(0, 200)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const count = (values: string[], value: string) => values.filter((v) => v === value).length;
