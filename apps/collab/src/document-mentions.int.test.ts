import { randomUUID } from "node:crypto";
import type { RequestContext } from "@devflow/auth";
import {
  COLLAB_EVENTS,
  COLLAB_PROTOCOL_VERSION,
  mentionToken,
  type DocRestoreReply,
  type DomainEvent,
} from "@devflow/contracts";
import { createDocumentsService } from "@devflow/domain-documents";
import { createDocumentMentionNotificationHandler, createNotificationsService } from "@devflow/domain-notifications";
import { createProjectsService } from "@devflow/domain-projects";
import { outboxRowToEvent } from "@devflow/events";
import { createCapturingMailer } from "@devflow/mail/testing";
import { contextFor } from "@devflow/testing";
import { describe, expect, it } from "vitest";
import { useCollabTestServer } from "./testing/collab-test-server";
import { useCollabWorkspace } from "./testing/collab-workspace";
import { request, TestEditor } from "./testing/test-editor";

// @mentions typed into a document, end to end: an op acked over Socket.io → the collab service's
// afterOpAcked hook → one `document.mentioned` event in the outbox → the notification handler →
// the bell and an email. Each test works on a document of its own, because a person is told of a
// document's mentions at most once an hour.

const w = useCollabWorkspace();
const collab = useCollabTestServer(() => w.t.db);

const mia = () => contextFor(w.acme.organization.id, w.member.userId, "member");
const vic = () => contextFor(w.acme.organization.id, w.viewer.userId, "viewer");
const owner = () => w.acme.ctx;
const token = (userId: string, name = "Someone") => mentionToken(name, userId);

async function newDocument(content = "# Plan\n", projectId = w.projectId): Promise<string> {
  return (await createDocumentsService(w.t.db).create(w.acme.ctx, projectId, { title: "Plan", kind: "rfc", content }))
    .id;
}

/** Mia in the editor, joined to the document. */
async function miaEditing(url: string, documentId: string): Promise<TestEditor> {
  const e = new TestEditor(
    url,
    await collab.tokenFor(w.member.userId, w.acme.organization.id, "member"),
    documentId,
    `mia-${randomUUID().slice(0, 8)}`,
  );
  await e.connect();
  collab.onCleanup(() => e.drop());
  await e.join();
  return e;
}

/** Makes an edit and waits for its ack. */
async function type(e: TestEditor, op: Parameters<TestEditor["edit"]>[0]): Promise<void> {
  e.edit(op);
  await expect.poll(() => e.isSynced).toBe(true);
}

/** The document.mentioned events recorded for a document, oldest first. */
async function eventsOf(documentId: string, org = w.acme): Promise<DomainEvent<"document.mentioned">[]> {
  const rows = await w.t.db.withTenant(org.ctx, (tx) =>
    tx.outboxEvent.findMany({ where: { type: "document.mentioned" }, orderBy: { createdAt: "asc" } }),
  );
  return rows
    .map(
      (row) =>
        outboxRowToEvent({
          id: row.id,
          organization_id: row.organizationId,
          type: row.type,
          version: row.version,
          payload: row.payload,
          created_at: row.createdAt,
        }) as DomainEvent<"document.mentioned">,
    )
    .filter((event) => event.data.documentId === documentId);
}

/** Waits until the document has `count` events (the hook records after the ack) and returns them. */
async function eventsAfterAck(documentId: string, count: number) {
  await expect.poll(async () => (await eventsOf(documentId)).length, { timeout: 10_000 }).toBe(count);
  return eventsOf(documentId);
}

async function notificationsAbout(member: RequestContext, documentId: string) {
  const { items } = await createNotificationsService(w.t.db).list(member, { limit: 50 });
  return items.filter((n) => n.link?.endsWith(documentId));
}

describe("mentions in a document's text", () => {
  it("tells a reader mentioned by an acked op once, in the bell and by email, quoting the line", async () => {
    const url = await collab.start();
    const documentId = await newDocument();
    const e = await miaEditing(url, documentId);
    await type(e, [e.text.length, `\nVic, please review the rollout: ${token(w.viewer.userId, "Vic")} thanks\n`]);

    const [event, ...more] = await eventsAfterAck(documentId, 1);
    expect(more).toEqual([]);
    expect(event!.data).toEqual({
      documentId,
      projectId: w.projectId,
      mentionedById: w.member.userId,
      userIds: [w.viewer.userId],
    });

    const mailer = createCapturingMailer();
    const handler = createDocumentMentionNotificationHandler(w.t.db, { mailer, webBaseUrl: "https://devflow.example" });
    await handler.handle(event!);
    await handler.handle(event!);
    const [notification, ...others] = await notificationsAbout(vic(), documentId);
    expect(others).toEqual([]);
    expect(notification).toMatchObject({
      type: "document.mentioned",
      title: "Mia mentioned you in “Plan”",
      body: "# Plan Vic, please review the rollout: @Vic thanks",
      link: `/${w.acme.organization.slug}/documents/${documentId}`,
    });
    expect(mailer.sent.map((m) => m.subject)).toEqual(["Mia mentioned you in “Plan”"]);
    expect(mailer.linksTo(mailer.sent[0]!.to)).toContain(
      `https://devflow.example/${w.acme.organization.slug}/documents/${documentId}`,
    );
    expect(await notificationsAbout(mia(), documentId)).toEqual([]);
  });

  it("drops the author, strangers, other organizations' people and those who cannot read a private doc", async () => {
    const url = await collab.start();
    const secret = (
      await createProjectsService(w.t.db).create(w.acme.ctx, {
        name: `Secret ${randomUUID().slice(0, 6)}`,
        description: "",
        visibility: "private",
        userIds: [w.member.userId],
      })
    ).id;
    const documentId = await newDocument("# Secret\n", secret);
    const e = await miaEditing(url, documentId);
    const mentioned = [w.member.userId, randomUUID(), w.globex.owner.id, w.viewer.userId, w.acme.owner.id];
    await type(e, [e.text.length, mentioned.map((id) => token(id)).join(" ")]);

    // Only the owner, who sees every project, is left of the five.
    const [event] = await eventsAfterAck(documentId, 1);
    expect(event!.data.userIds).toEqual([w.acme.owner.id]);
    expect(await eventsOf(documentId, w.globex)).toEqual([]);
    const handler = createDocumentMentionNotificationHandler(w.t.db, {
      mailer: createCapturingMailer(),
      webBaseUrl: "https://devflow.example",
    });
    await handler.handle(event!);
    expect(await notificationsAbout(owner(), documentId)).toHaveLength(1);
    expect(await notificationsAbout(vic(), documentId)).toEqual([]);
    expect(await notificationsAbout(mia(), documentId)).toEqual([]);
    const globexRows = await w.t.db.withTenant(w.globex.ctx, (tx) => tx.notification.count());
    expect(globexRows).toBe(0);
  });

  it("does not tell anyone twice within the hour when the mention is deleted and typed again", async () => {
    const url = await collab.start();
    const documentId = await newDocument("");
    const e = await miaEditing(url, documentId);
    const vicToken = token(w.viewer.userId, "Vic");
    await type(e, [vicToken]);
    await eventsAfterAck(documentId, 1);

    await type(e, [{ d: vicToken.length }]);
    // Re-typed (or undone and redone) beside a first mention of the owner, whose event shows the
    // op was looked at: it names the owner only.
    await type(e, [`${vicToken} ${token(w.acme.owner.id, "Owner")}`]);
    const events = await eventsAfterAck(documentId, 2);
    expect(events.map((event) => event.data.userIds)).toEqual([[w.viewer.userId], [w.acme.owner.id]]);
  });

  it("tells nobody when a restore brings a mention back", async () => {
    const url = await collab.start();
    const vicToken = token(w.viewer.userId, "Vic");
    // Version 0 (created, not typed) mentions Vic: nobody was told of it.
    const documentId = await newDocument(`Ask ${vicToken}`);
    const e = await miaEditing(url, documentId);
    await type(e, [4, { d: vicToken.length }]);
    const restored = await request<DocRestoreReply>(e.socket!, COLLAB_EVENTS.restore, {
      v: COLLAB_PROTOCOL_VERSION,
      documentId,
      version: 0,
    });
    expect(restored).toMatchObject({ ok: true, opCount: 1 });
    await expect.poll(() => e.text).toBe(`Ask ${vicToken}`);

    // A later typed mention is recorded, and is the document's only event.
    await type(e, [e.text.length, ` ${token(w.acme.owner.id, "Owner")}`]);
    const events = await eventsAfterAck(documentId, 1);
    expect(events[0]!.data.userIds).toEqual([w.acme.owner.id]);
  });
});
