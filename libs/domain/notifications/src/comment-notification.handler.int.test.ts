import type { RequestContext } from "@devflow/auth";
import type { DomainEvent, NotificationType } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createCommentsService } from "@devflow/domain-comments";
import { createDocumentsService } from "@devflow/domain-documents";
import { createMembersService } from "@devflow/domain-organizations";
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
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommentNotificationHandler } from "./comment-notification.handler";
import { NOTIFICATION_CHANNEL, parseNotificationSignal, type NotificationSignal } from "./live-signal";
import { createNotificationsService } from "./notifications.service";

// comment.created end to end on the Postgres transport, on the app role: the comments service
// records the event with the comment, the relay moves it to pg-boss, and the handler stores the
// notifications, signals them and emails them — once, whatever the bus redelivers.

const TEXT = "# Retries\n\nRetry three times with backoff.\n";

type Member = RequestContext & { user: { id: string; email: string; name: string } };

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let mia: Member;
let vic: Member;
let otto: Member;
let projectId: string;
let bus: EventBus;
let relay: OutboxRelay;
let mailer: CapturingMailer;
const handled = new Set<string>();
const signals: NotificationSignal[] = [];
let stopListening: () => Promise<void>;

const comments = () => createCommentsService(t.db);
const notifications = () => createNotificationsService(t.db);
const handler = () => createCommentNotificationHandler(t.db, { mailer, webBaseUrl: "https://devflow.example/" });

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  mia = (await acme.addMember("member", "Mia")) as Member;
  vic = (await acme.addMember("viewer", "Vic")) as Member;
  otto = (await acme.addMember("member", "Otto")) as Member;
  projectId = (await createProjectsService(t.db).create(acme.ctx, { name: "Design", description: "" })).id;
  mailer = createCapturingMailer();
  stopListening = await listen((payload) => {
    const signal = parseNotificationSignal(payload);
    if (signal) signals.push(signal);
  });
  bus = createPgBossEventBus(
    t.pglite ? { db: pgliteBossDb(t.pglite) } : { connectionString: t.appUrl!, pollingIntervalSeconds: 0.5 },
  );
  const real = handler();
  const counted: EventHandler<"comment.created"> = {
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
  await stopListening?.();
  await bus?.close();
  await t?.drop();
});

/** LISTENs on the notification channel as collab does: its own connection, or the embedded database itself. */
async function listen(onPayload: (payload: string) => void): Promise<() => Promise<void>> {
  if (t.pglite) return t.pglite.listen(NOTIFICATION_CHANNEL, onPayload);
  const client = new pg.Client({ connectionString: t.appUrl });
  await client.connect();
  client.on("notification", (message) => onPayload(message.payload ?? ""));
  await client.query(`LISTEN ${NOTIFICATION_CHANNEL}`);
  return () => client.end();
}

async function until<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function newDocument(inProject = projectId): Promise<string> {
  return (
    await createDocumentsService(t.db).create(acme.ctx, inProject, {
      title: "Retry policy",
      kind: "rfc",
      content: TEXT,
    })
  ).id;
}

const anchor = { from: TEXT.indexOf("three"), to: TEXT.indexOf("three") + 5, version: 0 };

/** The comment.created events recorded for a comment, oldest first. */
async function eventsOf(commentId: string, org = acme): Promise<DomainEvent<"comment.created">[]> {
  const rows = await t.db.withTenant(org.ctx, (tx) =>
    tx.outboxEvent.findMany({ where: { type: "comment.created" }, orderBy: { createdAt: "asc" } }),
  );
  return rows
    .filter((row) => (row.payload as { commentId?: string }).commentId === commentId)
    .map(
      (row) =>
        outboxRowToEvent({
          id: row.id,
          organization_id: row.organizationId,
          type: row.type,
          version: row.version,
          payload: row.payload,
          created_at: row.createdAt,
        }) as DomainEvent<"comment.created">,
    );
}

/** Relays everything recorded so far and waits until the handler has finished with `commentId`'s events. */
async function deliver(commentId: string): Promise<DomainEvent<"comment.created">[]> {
  while ((await relay.relayOnce()) > 0);
  const events = await eventsOf(commentId);
  expect(events.length).toBeGreaterThan(0);
  await until(() => events.every((e) => handled.has(e.id)));
  return events;
}

async function inbox(member: RequestContext) {
  return notifications().list(member, { limit: 50 });
}

/** The member's notifications about one document, oldest first. */
const typesOf = async (member: RequestContext, documentId: string): Promise<NotificationType[]> =>
  (await inbox(member)).items
    .filter((n) => n.link?.endsWith(documentId))
    .map((n) => n.type)
    .reverse();

const emailsTo = (member: Member) => mailer.sent.filter((m) => m.to === member.user.email);

describe("comment.created → notifications", () => {
  it("tells the mentioned member only, in the bell and by email, with a link to the document", async () => {
    const documentId = await newDocument();
    const before = mailer.sent.length;
    const { thread } = await comments().createThread(mia, documentId, {
      body: "@Vic is three enough?",
      anchor,
      mentions: [vic.user.id],
    });
    const [event] = await deliver(thread.id);
    expect(event!.data).toEqual({
      commentId: thread.id,
      documentId,
      threadId: thread.id,
      authorId: mia.user.id,
      mentionedUserIds: [vic.user.id],
      isReply: false,
    });

    const { items, unreadCount } = await inbox(vic);
    expect(unreadCount).toBe(1);
    expect(items[0]).toMatchObject({
      type: "comment.mentioned",
      title: "Mia mentioned you in “Retry policy”",
      body: "@Vic is three enough?",
      link: `/${acme.organization.slug}/documents/${documentId}`,
      readAt: null,
    });
    for (const other of [mia, otto, acme.ctx]) expect((await inbox(other)).items).toEqual([]);

    const sent = mailer.sent.slice(before);
    expect(sent.map((m) => m.to)).toEqual([vic.user.email]);
    expect(sent[0]!.subject).toBe("Mia mentioned you in “Retry policy”");
    expect(mailer.linksTo(vic.user.email)).toContain(
      `https://devflow.example/${acme.organization.slug}/documents/${documentId}`,
    );
    // The live signal went out with the commit: ids only.
    await until(() => signals.find((s) => s.notificationId === items[0]!.id));
    expect(signals.find((s) => s.notificationId === items[0]!.id)).toEqual({
      organizationId: acme.organization.id,
      userId: vic.user.id,
      notificationId: items[0]!.id,
    });
  });

  it("tells a reply's earlier participants, the mentioned as mentioned, never the author", async () => {
    const documentId = await newDocument();
    const { thread } = await comments().createThread(mia, documentId, { body: "Why three?", anchor, mentions: [] });
    await deliver(thread.id);
    const first = await comments().reply(vic, documentId, thread.id, { body: "SLO says so", mentions: [] });
    await deliver(first.thread.comments.at(-1)!.id);
    expect(await typesOf(mia, documentId)).toEqual(["comment.replied"]);
    expect((await inbox(mia)).items[0]!.title).toBe("Vic replied in “Retry policy”");

    const second = await comments().reply(acme.ctx, documentId, thread.id, {
      body: "@Otto can you confirm?",
      mentions: [otto.user.id],
    });
    await deliver(second.thread.comments.at(-1)!.id);
    expect(await typesOf(mia, documentId)).toEqual(["comment.replied", "comment.replied"]);
    expect(await typesOf(vic, documentId)).toEqual(["comment.replied"]);
    expect(await typesOf(otto, documentId)).toEqual(["comment.mentioned"]);
    expect(await typesOf(acme.ctx, documentId)).toEqual([]);
  });

  it("tells only the newly mentioned of an edit, and does not tell the thread of the reply again", async () => {
    const documentId = await newDocument();
    const { thread } = await comments().createThread(otto, documentId, { body: "Start", anchor, mentions: [] });
    const reply = await comments().reply(mia, documentId, thread.id, { body: "Hmm", mentions: [] });
    const replyId = reply.thread.comments.at(-1)!.id;
    await deliver(replyId);
    const ottoBefore = (await inbox(otto)).items.length;
    const vicBefore = (await inbox(vic)).items.length;

    await comments().editBody(mia, documentId, replyId, { body: "Hmm, @Vic?", mentions: [vic.user.id] });
    const events = await deliver(replyId);
    expect(events.at(-1)!.data).toMatchObject({ mentionedUserIds: [vic.user.id], isReply: true, isEdit: true });
    expect((await inbox(otto)).items).toHaveLength(ottoBefore);
    expect((await inbox(vic)).items).toHaveLength(vicBefore + 1);
    expect((await inbox(vic)).items[0]!.type).toBe("comment.mentioned");
  });

  it("honours preferences: nothing when both channels are off, only email when only the bell is", async () => {
    const documentId = await newDocument();
    await notifications().updatePreferences(otto, {
      items: [{ type: "comment.mentioned", inApp: false, email: false, slack: false }],
    });
    await notifications().updatePreferences(vic, {
      items: [{ type: "comment.mentioned", inApp: false, email: true, slack: false }],
    });
    const ottoBefore = { bell: (await inbox(otto)).items.length, mail: emailsTo(otto).length };
    const vicBefore = { bell: (await inbox(vic)).items.length, mail: emailsTo(vic).length };
    const { thread } = await comments().createThread(mia, documentId, {
      body: "@Otto @Vic look",
      anchor,
      mentions: [otto.user.id, vic.user.id],
    });
    await deliver(thread.id);
    expect((await inbox(otto)).items).toHaveLength(ottoBefore.bell);
    expect(emailsTo(otto)).toHaveLength(ottoBefore.mail);
    expect((await inbox(vic)).items).toHaveLength(vicBefore.bell);
    expect(emailsTo(vic)).toHaveLength(vicBefore.mail + 1);
    for (const member of [otto, vic]) {
      await notifications().updatePreferences(member, {
        items: [{ type: "comment.mentioned", inApp: true, email: true, slack: false }],
      });
    }
  });

  it("tells nobody who can no longer read the document by the time the event is handled", async () => {
    const secret = (
      await createProjectsService(t.db).create(acme.ctx, {
        name: "Secret",
        description: "",
        visibility: "private",
        userIds: [mia.user.id, otto.user.id],
      })
    ).id;
    const documentId = await newDocument(secret);
    const leaver = (await acme.addMember("member", "Lee")) as Member;
    await createProjectsService(t.db).setAccess(acme.ctx, secret, {
      visibility: "private",
      userIds: [mia.user.id, otto.user.id, leaver.user.id],
      groupIds: [],
    });
    const { thread } = await comments().createThread(mia, documentId, {
      body: "@Otto @Lee secret",
      anchor,
      mentions: [otto.user.id, leaver.user.id],
    });
    // Before the relay runs, Otto is taken off the project and Lee leaves the organization.
    await createProjectsService(t.db).setAccess(acme.ctx, secret, {
      visibility: "private",
      userIds: [mia.user.id],
      groupIds: [],
    });
    await createMembersService(t.db).removeMember(acme.ctx, leaver.user.id);
    const ottoBefore = (await inbox(otto)).items.length;
    await deliver(thread.id);
    expect((await inbox(otto)).items).toHaveLength(ottoBefore);
    expect(emailsTo(otto).some((m) => m.text.includes("@Otto @Lee secret"))).toBe(false);
    expect(emailsTo(leaver)).toEqual([]);
  });

  it("stores and sends once however often the event is delivered", async () => {
    const documentId = await newDocument();
    const { thread } = await comments().createThread(mia, documentId, {
      body: "@Otto once",
      anchor,
      mentions: [otto.user.id],
    });
    const [event] = await deliver(thread.id);
    const count = async () => (await inbox(otto)).items.filter((n) => n.body === "@Otto once").length;
    const mails = () => emailsTo(otto).filter((m) => m.text.includes("@Otto once")).length;
    expect(await count()).toBe(1);
    expect(mails()).toBe(1);

    // The relay crashed after publishing: the bus gets the same event again (and drops it by id);
    // the handler gets it again anyway (a lost ack), twice at once.
    await bus.publish([event!]);
    await Promise.all([handler().handle(event!), handler().handle(event!)]);
    expect(await count()).toBe(1);
    expect(mails()).toBe(1);
  });

  it("retries an email that could not be sent, without storing or sending anything twice", async () => {
    const documentId = await newDocument();
    const local = createCapturingMailer();
    const warnings: string[] = [];
    const retrying = createCommentNotificationHandler(t.db, {
      mailer: local,
      webBaseUrl: "https://devflow.example",
      logger: { warn: (object, message) => void warnings.push(JSON.stringify(object) + message) },
    });
    const { thread } = await comments().createThread(mia, documentId, {
      body: "@Vic @Otto retry",
      anchor,
      mentions: [vic.user.id, otto.user.id],
    });
    const [event] = await eventsOf(thread.id);
    local.failWith(new Error(`550 mailbox unavailable: <${vic.user.email}>`));
    await expect(retrying.handle(event!)).rejects.toThrow(/2 of 2 notification emails/);
    expect(warnings.join("\n")).not.toContain(vic.user.email);
    expect(warnings.join("\n")).toContain("[email]");
    expect((await inbox(vic)).items.filter((n) => n.body === "@Vic @Otto retry")).toHaveLength(1);

    local.failWith(null);
    await retrying.handle(event!);
    await retrying.handle(event!);
    expect(local.sent.map((m) => m.to).sort()).toEqual([vic.user.email, otto.user.email].sort());
    expect((await inbox(vic)).items.filter((n) => n.body === "@Vic @Otto retry")).toHaveLength(1);
    // Let the bus's own delivery of this event pass without touching the shared mailer's counts.
    await deliver(thread.id);
  });
});

describe("tenant isolation", () => {
  it("does not return rows from another tenant", async () => {
    const documentId = await newDocument();
    const { thread } = await comments().createThread(mia, documentId, {
      body: "@Vic Acme only",
      anchor,
      mentions: [vic.user.id],
    });
    const [event] = await deliver(thread.id);
    expect((await inbox(globex.ctx)).items).toEqual([]);
    expect(await notifications().unreadCount(globex.ctx)).toBe(0);
    // Vic's context pointed at Globex (where Vic is nobody) sees nothing of Acme's either.
    const vicInGlobex = { ...vic, organizationId: globex.organization.id };
    expect((await inbox(vicInGlobex)).items).toEqual([]);

    // An event claiming Globex for Acme's comment finds no comment under Globex, and tells nobody.
    const forged = { ...event!, id: randomUUID(), organizationId: globex.organization.id };
    await handler().handle(forged);
    const rows = await t.db.withTenant(globex.ctx, (tx) => tx.notification.count());
    expect(rows).toBe(0);
  });
});
