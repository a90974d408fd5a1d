import type { RequestContext } from "@devflow/auth";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createMembersService } from "@devflow/domain-organizations";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DOCUMENT_MENTION_QUIET_MS, recordDocumentMentions } from "./document-mentions.service";
import { createDocumentsService } from "./documents.service";

// The rules and the quiet hour, straight on the service; apps/collab's document-mentions.int.test.ts
// drives the same through a socket, to the notification.

type Member = RequestContext & { user: { id: string } };

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let mia: Member;
let vic: Member;
let otto: Member;
let projectId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  mia = (await acme.addMember("member", "Mia")) as Member;
  vic = (await acme.addMember("viewer", "Vic")) as Member;
  otto = (await acme.addMember("member", "Otto")) as Member;
  projectId = (await createProjectsService(t.db).create(acme.ctx, { name: "Design", description: "" })).id;
});
afterAll(async () => {
  await t?.drop();
});

async function newDocument(inProject = projectId): Promise<string> {
  return (await createDocumentsService(t.db).create(acme.ctx, inProject, { title: "Plan", kind: "rfc", content: "" }))
    .id;
}

/** The document.mentioned events recorded for a document, oldest first. */
async function eventsOf(documentId: string, org = acme) {
  const rows = await t.db.withTenant(org.ctx, (tx) =>
    tx.outboxEvent.findMany({ where: { type: "document.mentioned" }, orderBy: { createdAt: "asc" } }),
  );
  return rows
    .map((row) => row.payload as { documentId: string; userIds: string[] })
    .filter((p) => p.documentId === documentId);
}

describe("recordDocumentMentions", () => {
  it("records one event naming the readers it was given, without the author or duplicates", async () => {
    const documentId = await newDocument();
    const told = await recordDocumentMentions(t.db, mia, documentId, [
      vic.user.id,
      mia.user.id,
      otto.user.id,
      vic.user.id,
    ]);
    expect(told).toEqual([vic.user.id, otto.user.id]);
    expect(await eventsOf(documentId)).toEqual([
      { documentId, projectId, mentionedById: mia.user.id, userIds: [vic.user.id, otto.user.id] },
    ]);
    expect(await recordDocumentMentions(t.db, mia, documentId, [mia.user.id])).toEqual([]);
    expect(await eventsOf(documentId)).toHaveLength(1);
  });

  it("drops strangers, former members, outsiders of a private project and other organizations' people", async () => {
    const secret = (
      await createProjectsService(t.db).create(acme.ctx, {
        name: `Secret ${randomUUID().slice(0, 6)}`,
        description: "",
        visibility: "private",
        userIds: [mia.user.id, otto.user.id],
      })
    ).id;
    const documentId = await newDocument(secret);
    const leaver = (await acme.addMember("member", "Lee")) as Member;
    await createMembersService(t.db).removeMember(acme.ctx, leaver.user.id);
    const told = await recordDocumentMentions(t.db, mia, documentId, [
      vic.user.id,
      leaver.user.id,
      globex.owner.id,
      randomUUID(),
      otto.user.id,
      acme.owner.id,
    ]);
    // Vic cannot see the private project; admins and owners see every project.
    expect(told).toEqual([otto.user.id, acme.owner.id]);
    expect(await eventsOf(documentId)).toEqual([expect.objectContaining({ userIds: [otto.user.id, acme.owner.id] })]);
    // Nobody at all: no event.
    expect(await recordDocumentMentions(t.db, mia, documentId, [vic.user.id, globex.owner.id])).toEqual([]);
    expect(await eventsOf(documentId)).toHaveLength(1);
  });

  it("tells a person once an hour per document, whoever mentions them again", async () => {
    const documentId = await newDocument();
    const other = await newDocument();
    const start = new Date("2026-12-01T09:00:00.000Z");
    const at = (ms: number) => ({ now: new Date(start.getTime() + ms) });
    expect(await recordDocumentMentions(t.db, mia, documentId, [vic.user.id], at(0))).toEqual([vic.user.id]);
    expect(await recordDocumentMentions(t.db, mia, documentId, [vic.user.id], at(60_000))).toEqual([]);
    expect(await recordDocumentMentions(t.db, otto, documentId, [vic.user.id, mia.user.id], at(120_000))).toEqual([
      mia.user.id,
    ]);
    // Another document is another matter.
    expect(await recordDocumentMentions(t.db, mia, other, [vic.user.id], at(60_000))).toEqual([vic.user.id]);
    expect(await recordDocumentMentions(t.db, mia, documentId, [vic.user.id], at(DOCUMENT_MENTION_QUIET_MS))).toEqual([
      vic.user.id,
    ]);
    expect((await eventsOf(documentId)).map((e) => e.userIds)).toEqual([[vic.user.id], [mia.user.id], [vic.user.id]]);
  });

  it("records nothing for an author who can no longer read the document", async () => {
    const documentId = await newDocument();
    const leaver = (await acme.addMember("member", "Lou")) as Member;
    await createMembersService(t.db).removeMember(acme.ctx, leaver.user.id);
    expect(await recordDocumentMentions(t.db, leaver, documentId, [vic.user.id])).toEqual([]);
    expect(await eventsOf(documentId)).toEqual([]);
  });
});

describe("tenant isolation", () => {
  it("does not return rows from another tenant", async () => {
    const documentId = await newDocument();
    await recordDocumentMentions(t.db, mia, documentId, [vic.user.id]);
    // Acme's document does not exist under Globex: nothing is claimed or recorded there.
    const globexCtx = { ...globex.ctx, actor: { userId: globex.owner.id, role: "owner" as const } };
    expect(await recordDocumentMentions(t.db, globexCtx, documentId, [vic.user.id, globex.owner.id])).toEqual([]);
    expect(await t.db.withTenant(globex.ctx, (tx) => tx.documentMention.count())).toBe(0);
    expect(await eventsOf(documentId, globex)).toEqual([]);
    expect(await t.db.withTenant(acme.ctx, (tx) => tx.documentMention.count({ where: { documentId } }))).toBe(1);
  });
});
