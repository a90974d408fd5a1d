import type { RequestContext } from "@devflow/auth";
import type { DomainEvent, EventType } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import {
  createOutboxRelay,
  createPgBossEventBus,
  outboxRowToEvent,
  pgliteBossDb,
  recordEvent,
  type EventBus,
  type EventHandler,
  type OutboxRelay,
} from "@devflow/events";
import { createCapturingMailer, type CapturingMailer } from "@devflow/mail/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDeadLetterRecorder } from "./dead-letter-recorder";
import { createFailedJobNotificationHandler, FAILED_JOB_NOTIFICATION_HANDLER } from "./failed-job-notification.handler";
import { createNotificationsService } from "./notifications.service";

// job.failed end to end on the Postgres transport, on the app role: a handler that always fails is
// dead-lettered by pg-boss after its attempts, the bus's dead-letter hook records job.failed in the
// event's organization, the relay moves it to the bus, and the failed-job handler tells that
// organization's admins and owners — once, whatever the bus redelivers.

const ALWAYS_FAILS = "test.always-fails";
const FAILING_NOTIFIER = "test.failing-job-notifier";

type Member = RequestContext & { user: { id: string; email: string } };

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let acmeAdmin: Member;
let acmeMember: Member;
let globexAdmin: Member;
let bus: EventBus;
let relay: OutboxRelay;
let mailer: CapturingMailer;
const handled = new Set<string>();
const hookWarnings: string[] = [];
/** Events the failing notifier should fail on (it ignores the others), by id. */
const failNotifierOn = new Set<string>();

const notifications = () => createNotificationsService(t.db);
const handler = () => createFailedJobNotificationHandler(t.db, { mailer, webBaseUrl: "https://devflow.example/" });

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  acmeAdmin = (await acme.addMember("admin", "Ada")) as Member;
  acmeMember = (await acme.addMember("member", "Mia")) as Member;
  globexAdmin = (await globex.addMember("admin", "Gus")) as Member;
  mailer = createCapturingMailer();
  bus = createPgBossEventBus({
    ...(t.pglite ? { db: pgliteBossDb(t.pglite) } : { connectionString: t.appUrl!, pollingIntervalSeconds: 0.5 }),
    onDeadLetter: createDeadLetterRecorder(t.db, {
      logger: { warn: (object, message) => void hookWarnings.push(JSON.stringify(object) + message) },
    }),
  });
  const real = handler();
  const counted: EventHandler<"job.failed"> = {
    ...real,
    async handle(event) {
      await real.handle(event);
      handled.add(event.id);
    },
  };
  await bus.subscribe(counted);
  await bus.subscribe(
    {
      name: ALWAYS_FAILS,
      type: "document.archived",
      handle: async () => {
        throw new Error("Slack is down");
      },
    },
    { maxAttempts: 2, baseDelaySeconds: 1 },
  );
  // A second notifier of job.failed that gives up on the events it is told to: its dead letters
  // must not become job.failed events of their own.
  const failingNotifier: EventHandler<"job.failed"> = {
    name: FAILING_NOTIFIER,
    type: "job.failed",
    async handle(event) {
      if (failNotifierOn.has(event.data.eventId)) throw new Error("SMTP is down");
    },
  };
  await bus.subscribe(failingNotifier, { maxAttempts: 1, baseDelaySeconds: 1 });
  relay = createOutboxRelay(t.db, bus);
});
afterAll(async () => {
  await bus?.close();
  await t?.drop();
});

async function until<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 40_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${probe.toString().slice(0, 200)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The events of `type` in the organization's outbox, oldest first. */
async function outbox<T extends EventType>(org: OrganizationFixture, type: T): Promise<DomainEvent<T>[]> {
  const rows = await t.db.withTenant(org.ctx, (tx) =>
    tx.outboxEvent.findMany({ where: { type }, orderBy: { createdAt: "asc" } }),
  );
  return rows.map(
    (row) =>
      outboxRowToEvent({
        id: row.id,
        organization_id: row.organizationId,
        type: row.type,
        version: row.version,
        payload: row.payload,
        created_at: row.createdAt,
      }) as DomainEvent<T>,
  );
}

/** Records a document.archived event in the organization, as a service would; returns its id. */
function archiveSomething(org: OrganizationFixture): Promise<string> {
  return t.db.withTenant(org.ctx, (tx) =>
    recordEvent(tx, {
      type: "document.archived",
      organizationId: org.organization.id,
      data: { documentId: randomUUID(), projectId: randomUUID(), archivedById: null },
    }),
  );
}

/**
 * Relays until the always-failing handler has given up on `eventId` and the job.failed event about
 * it has been relayed and handled; returns that event.
 */
async function failAndNotify(org: OrganizationFixture, eventId: string): Promise<DomainEvent<"job.failed">> {
  const failed = await until(async () => {
    while ((await relay.relayOnce()) > 0);
    return (await outbox(org, "job.failed")).find((e) => e.data.eventId === eventId);
  }, 60_000);
  while ((await relay.relayOnce()) > 0);
  await until(() => handled.has(failed.id));
  return failed;
}

const inbox = async (member: RequestContext) => (await notifications().list(member, { limit: 50 })).items;
describe("job.failed → notifications", () => {
  it("tells the organization's admins and owners once that a job gave up, with a link to the failed jobs", async () => {
    const before = mailer.sent.length;
    const eventId = await archiveSomething(acme);
    const failed = await failAndNotify(acme, eventId);
    expect(failed.data).toEqual({
      handler: ALWAYS_FAILS,
      eventId,
      eventType: "document.archived",
      attempts: 2,
      error: "Slack is down",
    });
    const letter = (await bus.listDeadLetters(acme.organization.id)).find(
      (l) => l.handler === ALWAYS_FAILS && l.event.id === eventId,
    );
    expect(letter).toMatchObject({ attempts: 2, error: "Slack is down" });

    for (const admin of [acme.ctx, acmeAdmin]) {
      const items = (await inbox(admin)).filter((n) => n.type === "job.failed");
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        title: `${ALWAYS_FAILS} failed on document.archived after 2 attempts`,
        body: "Slack is down",
        link: `/${acme.organization.slug}/settings/integrations`,
        readAt: null,
      });
    }
    // Not members, and nobody in another organization.
    for (const other of [acmeMember, globex.ctx, globexAdmin]) expect(await inbox(other)).toEqual([]);

    const sent = mailer.sent.slice(before);
    expect(sent.map((m) => m.to).sort()).toEqual([acme.owner.email, acmeAdmin.user.email].sort());
    expect(sent[0]!.subject).toBe(`Acme: ${ALWAYS_FAILS} failed on document.archived after 2 attempts`);
    expect(mailer.linksTo(acmeAdmin.user.email)).toContain(
      `https://devflow.example/${acme.organization.slug}/settings/integrations`,
    );
  });

  it("stores and sends once however often the event is delivered", async () => {
    const failed = await failAndNotify(acme, await archiveSomething(acme));
    const stored = async () =>
      (
        await t.db.withTenant(acme.ctx, (tx) =>
          tx.notification.findMany({ where: { type: "job.failed" }, select: { payload: true } }),
        )
      ).filter((row) => (row.payload as { eventId?: string }).eventId === failed.id).length;
    expect(await stored()).toBe(2);
    const mails = mailer.sent.length;

    // The relay crashed after publishing: the bus gets the same event again (and drops it by id);
    // the handler gets it again anyway (a lost ack), twice at once.
    await bus.publish([failed]);
    await Promise.all([handler().handle(failed), handler().handle(failed)]);
    expect(await stored()).toBe(2);
    expect(mailer.sent.length).toBe(mails);
  });

  it("honours preferences: nothing when both channels are off, only email when only the bell is", async () => {
    await notifications().updatePreferences(acmeAdmin, {
      items: [{ type: "job.failed", inApp: false, email: false, slack: false }],
    });
    await notifications().updatePreferences(acme.ctx, {
      items: [{ type: "job.failed", inApp: false, email: true, slack: false }],
    });
    const before = {
      admin: (await inbox(acmeAdmin)).length,
      owner: (await inbox(acme.ctx)).length,
      mail: mailer.sent.length,
    };
    await failAndNotify(acme, await archiveSomething(acme));
    expect(await inbox(acmeAdmin)).toHaveLength(before.admin);
    expect(await inbox(acme.ctx)).toHaveLength(before.owner);
    expect(mailer.sent.slice(before.mail).map((m) => m.to)).toEqual([acme.owner.email]);
    for (const member of [acmeAdmin, acme.ctx]) {
      await notifications().updatePreferences(member, {
        items: [{ type: "job.failed", inApp: true, email: true, slack: false }],
      });
    }
  });

  it("records no job.failed for a dead letter of a job.failed notifier, so a failing notifier cannot feed itself", async () => {
    const eventId = await archiveSomething(acme);
    failNotifierOn.add(eventId);
    const failed = await failAndNotify(acme, eventId);
    // The failing notifier gave up on the job.failed event: it is a dead letter admins can see…
    await until(async () =>
      (await bus.listDeadLetters(acme.organization.id)).find(
        (l) => l.handler === FAILING_NOTIFIER && l.event.id === failed.id,
      ),
    );
    await until(() => hookWarnings.some((w) => w.includes(failed.id)));
    while ((await relay.relayOnce()) > 0);
    // …and no job.failed event is about it, nor about any job.failed event.
    const recorded = await outbox(acme, "job.failed");
    expect(recorded.filter((e) => e.data.eventType === "job.failed")).toEqual([]);
    expect(recorded.filter((e) => e.data.eventId === eventId)).toHaveLength(1);

    // The same for the real notifier's own dead letters, given to the hook directly.
    const hook = createDeadLetterRecorder(t.db);
    await hook({
      handler: FAILED_JOB_NOTIFICATION_HANDLER,
      event: failed,
      attempts: 5,
      error: "SMTP is down",
      failedAt: new Date().toISOString(),
    });
    expect(await outbox(acme, "job.failed")).toHaveLength(recorded.length);
  });

  it("keeps email addresses out of the recorded error, and shortens it", async () => {
    const eventId = randomUUID();
    await createDeadLetterRecorder(t.db)({
      handler: ALWAYS_FAILS,
      event: { id: eventId, type: "document.archived", organizationId: acme.organization.id } as DomainEvent,
      attempts: 3,
      error: `550 mailbox ${acmeMember.user.email} unavailable ${"x".repeat(1_000)}`,
      failedAt: new Date().toISOString(),
    });
    const recorded = await failAndNotify(acme, eventId);
    expect(recorded.data.error).toMatch(/^550 mailbox \[email\] unavailable x+$/);
    expect(recorded.data.error).toHaveLength(500);
    expect(mailer.sent.some((m) => m.text.includes(acmeMember.user.email))).toBe(false);
  });
});

describe("tenant isolation", () => {
  it("does not return rows from another tenant", async () => {
    const acmeBefore = { owner: (await inbox(acme.ctx)).length, admin: (await inbox(acmeAdmin)).length };
    const failed = await failAndNotify(globex, await archiveSomething(globex));
    expect(failed.organizationId).toBe(globex.organization.id);
    expect((await inbox(globexAdmin)).filter((n) => n.type === "job.failed")).toHaveLength(1);
    expect(await inbox(acme.ctx)).toHaveLength(acmeBefore.owner);
    expect(await inbox(acmeAdmin)).toHaveLength(acmeBefore.admin);
    // Acme's admin's context pointed at Globex (where they are nobody) reads nothing of Globex's.
    expect(await inbox({ ...acmeAdmin, organizationId: globex.organization.id })).toEqual([]);
    expect((await outbox(acme, "job.failed")).some((e) => e.id === failed.id)).toBe(false);
  });
});
