import type { RequestContext } from "@devflow/auth";
import type { DomainEvent } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createProjectsService } from "@devflow/domain-projects";
import {
  createOutboxRelay,
  createPgBossEventBus,
  outboxRowToEvent,
  pgliteBossDb,
  type EventBus,
  type EventHandler,
  type OutboxRelay,
} from "@devflow/events";
import { createCapturingMailer, type CapturingMailer } from "@devflow/mail/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNotificationsService } from "./notifications.service";
import { createShareNotificationHandler } from "./share-notification.handler";

// project.shared end to end on the Postgres transport, on the app role: the projects service
// records the event with the grant, the relay moves it to pg-boss, and the handler tells the
// people who were given access — once, whatever the bus redelivers.

type Member = RequestContext & { user: { id: string; email: string; name: string } };

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
/** Mia, a member, creates the projects and shares them. */
let mia: Member;
let vic: Member;
let otto: Member;
let lee: Member;
let ada: Member;
let bus: EventBus;
let relay: OutboxRelay;
let mailer: CapturingMailer;
const handled = new Set<string>();

const projects = () => createProjectsService(t.db);
const notifications = () => createNotificationsService(t.db);
const handler = () => createShareNotificationHandler(t.db, { mailer, webBaseUrl: "https://devflow.example/" });

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  mia = (await acme.addMember("member", "Mia")) as Member;
  vic = (await acme.addMember("viewer", "Vic")) as Member;
  otto = (await acme.addMember("member", "Otto")) as Member;
  lee = (await acme.addMember("member", "Lee")) as Member;
  ada = (await acme.addMember("admin", "Ada")) as Member;
  mailer = createCapturingMailer();
  bus = createPgBossEventBus(
    t.pglite ? { db: pgliteBossDb(t.pglite) } : { connectionString: t.appUrl!, pollingIntervalSeconds: 0.5 },
  );
  const real = handler();
  const counted: EventHandler<"project.shared"> = {
    ...real,
    async handle(event) {
      await real.handle(event);
      handled.add(event.id);
    },
  };
  await bus.subscribe(counted);
  relay = createOutboxRelay(t.db, bus);
});
afterAll(async () => {
  await bus?.close();
  await t?.drop();
});

async function until<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Groups come from SCIM in production; tests make them directly inside the tenant. */
async function buildGroup(memberIds: string[]): Promise<string> {
  return t.db.withTenant(acme.ctx, async (tx) => {
    const group = await tx.group.create({ data: { organizationId: acme.organization.id, name: `G ${randomUUID()}` } });
    for (const userId of memberIds) {
      await tx.groupMember.create({ data: { organizationId: acme.organization.id, groupId: group.id, userId } });
    }
    return group.id;
  });
}

/** The project.shared events recorded for a project, oldest first. */
async function eventsOf(projectId: string, org = acme): Promise<DomainEvent<"project.shared">[]> {
  const rows = await t.db.withTenant(org.ctx, (tx) =>
    tx.outboxEvent.findMany({ where: { type: "project.shared" }, orderBy: { createdAt: "asc" } }),
  );
  return rows
    .filter((row) => (row.payload as { projectId?: string }).projectId === projectId)
    .map(
      (row) =>
        outboxRowToEvent({
          id: row.id,
          organization_id: row.organizationId,
          type: row.type,
          version: row.version,
          payload: row.payload,
          created_at: row.createdAt,
        }) as DomainEvent<"project.shared">,
    );
}

/** Relays everything recorded so far and waits until the handler has finished with the project's events. */
async function deliver(projectId: string): Promise<DomainEvent<"project.shared">[]> {
  while ((await relay.relayOnce()) > 0);
  const events = await eventsOf(projectId);
  await until(() => events.every((e) => handled.has(e.id)));
  return events;
}

/** The member's notifications about one project. */
const sharedOf = async (member: RequestContext, projectId: string) =>
  (await notifications().list(member, { limit: 50 })).items.filter((n) => n.link?.endsWith(projectId));

const emailsAbout = (member: Member, projectName: string) =>
  mailer.sent.filter((m) => m.to === member.user.email && m.subject.includes(projectName));

async function privateProject(name: string, userIds: string[] = []): Promise<string> {
  return (await projects().create(mia, { name, description: "Ledger and refunds", visibility: "private", userIds })).id;
}

describe("project.shared → notifications", () => {
  it("tells a member given access to a private project directly, once, with a link to it; never the sharer", async () => {
    const projectId = await privateProject("Payments");
    await projects().setAccess(mia, projectId, {
      visibility: "private",
      userIds: [mia.user.id, vic.user.id],
      groupIds: [],
    });
    const [event, ...more] = await deliver(projectId);
    expect(more).toEqual([]);
    expect(event!.data).toEqual({ projectId, sharedById: mia.user.id, userIds: [vic.user.id] });

    const items = await sharedOf(vic, projectId);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      type: "project.shared",
      title: "Mia shared “Payments” with you",
      body: "Ledger and refunds",
      link: `/${acme.organization.slug}/projects/${projectId}`,
      readAt: null,
    });
    for (const other of [mia, otto, lee, ada, acme.ctx]) expect(await sharedOf(other, projectId)).toEqual([]);
    expect(emailsAbout(vic, "Payments")).toHaveLength(1);
    expect(emailsAbout(vic, "Payments")[0]!.subject).toBe("Mia shared “Payments” with you");
    expect(mailer.linksTo(vic.user.email)).toContain(
      `https://devflow.example/${acme.organization.slug}/projects/${projectId}`,
    );
    expect(emailsAbout(mia, "Payments")).toEqual([]);
  });

  it("tells each member of an added group who could not see the project before, and nobody else", async () => {
    const projectId = await privateProject("Ledger", [vic.user.id]);
    await deliver(projectId);
    const vicBefore = (await sharedOf(vic, projectId)).length;
    // Vic is listed already, Mia shared it, Ada is an admin (who sees every project): only Otto and Lee are new.
    const groupId = await buildGroup([vic.user.id, mia.user.id, ada.user.id, otto.user.id, lee.user.id]);
    await projects().setAccess(mia, projectId, {
      visibility: "private",
      userIds: [mia.user.id, vic.user.id],
      groupIds: [groupId],
    });
    const events = await deliver(projectId);
    expect(events.at(-1)!.data.userIds.sort()).toEqual([otto.user.id, lee.user.id].sort());
    for (const member of [otto, lee]) {
      expect((await sharedOf(member, projectId)).map((n) => n.type)).toEqual(["project.shared"]);
      expect(emailsAbout(member, "Ledger")).toHaveLength(1);
    }
    expect(await sharedOf(vic, projectId)).toHaveLength(vicBefore);
    for (const other of [mia, ada, acme.ctx]) expect(await sharedOf(other, projectId)).toEqual([]);

    // Saving the same list again, or moving Otto from the group to the list, shares it with nobody new.
    await projects().setAccess(mia, projectId, {
      visibility: "private",
      userIds: [mia.user.id, vic.user.id, otto.user.id],
      groupIds: [groupId],
    });
    expect(await deliver(projectId)).toHaveLength(events.length);
  });

  it("tells the people listed on a private project as it is created, and nobody for an open one", async () => {
    const projectId = await privateProject("Launch", [otto.user.id]);
    const [event] = await deliver(projectId);
    expect(event!.data.userIds).toEqual([otto.user.id]);
    expect((await sharedOf(otto, projectId)).map((n) => n.title)).toEqual(["Mia shared “Launch” with you"]);

    // An open project: everyone sees it already, whatever its list says; opening a private one
    // up shares it with nobody in particular.
    const open = (await projects().create(mia, { name: "Open", description: "" })).id;
    await projects().setAccess(mia, open, { visibility: "organization", userIds: [lee.user.id], groupIds: [] });
    await projects().setAccess(mia, projectId, { visibility: "organization", userIds: [lee.user.id], groupIds: [] });
    expect(await eventsOf(open)).toEqual([]);
    expect(await eventsOf(projectId)).toHaveLength(1);
  });

  it("honours a preference saved under the type's former name, document.shared", async () => {
    await t.db.withTenant(lee, (tx) =>
      tx.notificationPreference.create({
        data: {
          organizationId: acme.organization.id,
          userId: lee.user.id,
          eventType: "document.shared",
          inApp: false,
          email: false,
          slack: false,
        },
      }),
    );
    const projectId = await privateProject("Quiet", [lee.user.id, otto.user.id]);
    await deliver(projectId);
    expect(await sharedOf(lee, projectId)).toEqual([]);
    expect(emailsAbout(lee, "Quiet")).toEqual([]);
    expect(await sharedOf(otto, projectId)).toHaveLength(1);
    expect((await notifications().getPreferences(lee)).items.find((p) => p.type === "project.shared")).toMatchObject({
      inApp: false,
      email: false,
    });
  });

  it("tells nobody who can no longer see the project by the time the event is handled", async () => {
    const projectId = await privateProject("Secret");
    await projects().setAccess(mia, projectId, {
      visibility: "private",
      userIds: [mia.user.id, otto.user.id],
      groupIds: [],
    });
    // Before the relay runs, Otto is taken off the list again.
    await projects().setAccess(mia, projectId, { visibility: "private", userIds: [mia.user.id], groupIds: [] });
    await deliver(projectId);
    expect(await sharedOf(otto, projectId)).toEqual([]);
    expect(emailsAbout(otto, "Secret")).toEqual([]);
  });

  it("stores and sends once however often the event is delivered", async () => {
    const projectId = await privateProject("Once", [vic.user.id]);
    const [event] = await deliver(projectId);
    expect(await sharedOf(vic, projectId)).toHaveLength(1);
    expect(emailsAbout(vic, "Once")).toHaveLength(1);

    // The relay crashed after publishing: the bus gets the same event again (and drops it by id);
    // the handler gets it again anyway (a lost ack), twice at once.
    await bus.publish([event!]);
    await Promise.all([handler().handle(event!), handler().handle(event!)]);
    expect(await sharedOf(vic, projectId)).toHaveLength(1);
    expect(emailsAbout(vic, "Once")).toHaveLength(1);
  });

  it("records nothing when the grant is refused", async () => {
    const projectId = await privateProject("Refused");
    const before = await eventsOf(projectId);
    await expect(
      projects().setAccess(mia, projectId, {
        visibility: "private",
        userIds: [mia.user.id, vic.user.id, globex.owner.id],
        groupIds: [],
      }),
    ).rejects.toMatchObject({ code: "validation_failed" });
    expect(await eventsOf(projectId)).toEqual(before);
  });
});

describe("tenant isolation", () => {
  it("does not return rows from another tenant", async () => {
    const projectId = await privateProject("Acme only", [vic.user.id]);
    const [event] = await deliver(projectId);
    expect(await sharedOf(globex.ctx, projectId)).toEqual([]);
    // Vic's context pointed at Globex (where Vic is nobody) sees nothing of Acme's.
    expect(await sharedOf({ ...vic, organizationId: globex.organization.id }, projectId)).toEqual([]);

    // An event claiming Globex for Acme's project finds no project under Globex, and tells nobody.
    const forged = { ...event!, id: randomUUID(), organizationId: globex.organization.id };
    await handler().handle(forged);
    expect(await t.db.withTenant(globex.ctx, (tx) => tx.notification.count())).toBe(0);
  });
});
