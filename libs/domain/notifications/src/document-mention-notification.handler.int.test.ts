import type { RequestContext } from "@devflow/auth";
import { mentionToken, type DomainEvent } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService, recordDocumentMentions } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { outboxRowToEvent } from "@devflow/events";
import { createCapturingMailer, type CapturingMailer } from "@devflow/mail/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDocumentMentionNotificationHandler } from "./document-mention-notification.handler";
import { createNotificationsService } from "./notifications.service";

// document.mentioned → notifications, from events the documents domain records. The socket side
// (an acked op recording the event) is apps/collab's document-mentions.int.test.ts.

type Member = RequestContext & { user: { id: string; email: string; name: string } };

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let mia: Member;
let otto: Member;
let projectId: string;
let mailer: CapturingMailer;

const handler = () => createDocumentMentionNotificationHandler(t.db, { mailer, webBaseUrl: "https://devflow.example" });

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  mia = (await acme.addMember("member", "Mia")) as Member;
  otto = (await acme.addMember("member", "Otto")) as Member;
  projectId = (await createProjectsService(t.db).create(acme.ctx, { name: "Design", description: "" })).id;
  mailer = createCapturingMailer();
});
afterAll(async () => {
  await t?.drop();
});

/** A document with `content`, and the event of Mia mentioning `userIds` in it. */
async function mentionIn(content: string, userIds: string[], inProject = projectId) {
  const documents = createDocumentsService(t.db);
  const documentId = (await documents.create(acme.ctx, inProject, { title: "Retry policy", kind: "rfc", content })).id;
  expect(await recordDocumentMentions(t.db, mia, documentId, userIds)).toEqual(userIds);
  const [row] = await t.db.withTenant(acme.ctx, (tx) =>
    tx.outboxEvent.findMany({
      where: { type: "document.mentioned", payload: { path: ["documentId"], equals: documentId } },
    }),
  );
  const event = outboxRowToEvent({
    id: row!.id,
    organization_id: row!.organizationId,
    type: row!.type,
    version: row!.version,
    payload: row!.payload,
    created_at: row!.createdAt,
  }) as DomainEvent<"document.mentioned">;
  return { documentId, event };
}

async function notificationsAbout(member: RequestContext, documentId: string) {
  const { items } = await createNotificationsService(t.db).list(member, { limit: 50 });
  return items.filter((n) => n.link?.endsWith(documentId));
}

describe("document.mentioned → notifications", () => {
  it("quotes the words around the mention, and stores and sends once however often it is delivered", async () => {
    const long = "Background. ".repeat(80);
    const { documentId, event } = await mentionIn(
      `# Retries\n\n${long}\n\n${mentionToken("Otto", otto.user.id)} owns the backoff. ${"More. ".repeat(80)}`,
      [otto.user.id],
    );
    await handler().handle(event);
    await Promise.all([handler().handle(event), handler().handle(event)]);
    const [notification, ...more] = await notificationsAbout(otto, documentId);
    expect(more).toEqual([]);
    expect(notification!.title).toBe("Mia mentioned you in “Retry policy”");
    expect(notification!.body).toMatch(/^…Background\. .* @Otto owns the backoff\. More\. .*…$/);
    expect(notification!.body.length).toBeLessThanOrEqual(280);
    const mails = mailer.sent.filter((m) => m.to === otto.user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain("@Otto owns the backoff.");
    expect(mails[0]!.text).not.toContain("mention:");
  });

  it("quotes the title when the mention was deleted before the event was handled", async () => {
    const { documentId, event } = await mentionIn("No token any more", [otto.user.id]);
    await handler().handle(event);
    expect((await notificationsAbout(otto, documentId))[0]!.body).toBe("Retry policy");
  });

  it("tells nobody who can no longer read the document, nor the author", async () => {
    const secret = (
      await createProjectsService(t.db).create(acme.ctx, {
        name: "Secret",
        description: "",
        visibility: "private",
        userIds: [mia.user.id, otto.user.id],
      })
    ).id;
    const { documentId, event } = await mentionIn(mentionToken("Otto", otto.user.id), [otto.user.id], secret);
    await createProjectsService(t.db).setAccess(acme.ctx, secret, {
      visibility: "private",
      userIds: [mia.user.id],
      groupIds: [],
    });
    const forged = { ...event, id: randomUUID(), data: { ...event.data, userIds: [otto.user.id, mia.user.id] } };
    await handler().handle(forged);
    expect(await notificationsAbout(otto, documentId)).toEqual([]);
    expect(await notificationsAbout(mia, documentId)).toEqual([]);
  });
});

describe("tenant isolation", () => {
  it("does not return rows from another tenant", async () => {
    const { documentId, event } = await mentionIn(mentionToken("Otto", otto.user.id), [otto.user.id]);
    // An event claiming Globex for Acme's document finds no document under Globex, and tells nobody.
    await handler().handle({ ...event, id: randomUUID(), organizationId: globex.organization.id });
    expect(await t.db.withTenant(globex.ctx, (tx) => tx.notification.count())).toBe(0);
    expect(await notificationsAbout(otto, documentId)).toEqual([]);
  });
});
