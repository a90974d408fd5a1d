import type { RequestContext } from "@devflow/auth";
import { apply, type TextOp } from "@devflow/collab-ot";
import { COMMENT_BODY_MAX, CreateCommentThreadInputSchema } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createMembersService } from "@devflow/domain-organizations";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommentsService } from "./comments.service";

const TEXT = "# Cache\n\nThe cache keeps entries for one hour.\n";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let member: RequestContext & { user: { id: string } };
let viewer: RequestContext & { user: { id: string } };
let outsider: RequestContext & { user: { id: string } };
let projectId: string;
let comments: ReturnType<typeof createCommentsService>;

beforeAll(async () => {
  t = await createTestDatabase();
  // A small chunk, so moving anchors over a few ops already reads the log in several queries.
  comments = createCommentsService(t.db, { opChunk: 2 });
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  member = await acme.addMember("member", "Mia");
  viewer = await acme.addMember("viewer", "Vic");
  outsider = await acme.addMember("member", "Otto");
  projectId = (await createProjectsService(t.db).create(acme.ctx, { name: "Design", description: "" })).id;
});
afterAll(async () => {
  await t?.drop();
});

/** A document whose text is TEXT at v0. */
async function newDocument(inProject = projectId): Promise<string> {
  const doc = await createDocumentsService(t.db).create(acme.ctx, inProject, {
    title: "Cache",
    kind: "design_doc",
    content: TEXT,
  });
  return doc.id;
}

/**
 * Commits ops as the collab engine's op store does: the log rows and the document's head in one
 * tenant transaction. Written here rather than through the engine, whose commit path batches
 * across documents and is not what these tests are about.
 */
async function edit(documentId: string, ...ops: TextOp[]): Promise<string> {
  return t.db.withTenant(acme.ctx, async (tx) => {
    const head = await tx.document.findUniqueOrThrow({
      where: { id: documentId },
      select: { content: true, version: true },
    });
    let content = head.content;
    for (const [i, op] of ops.entries()) {
      content = apply(content, op);
      const version = head.version + i + 1;
      await tx.documentOperation.create({
        data: {
          organizationId: acme.organization.id,
          documentId,
          version,
          op: op as unknown as string[],
          clientId: "test",
          clientSeq: version,
        },
      });
    }
    await tx.document.update({ where: { id: documentId }, data: { content, version: head.version + ops.length } });
    return content;
  });
}

const span = (text: string, needle: string, version = 0) => ({
  from: text.indexOf(needle),
  to: text.indexOf(needle) + needle.length,
  version,
});

describe("comment threads", () => {
  it("anchors a thread to the selected text and keeps it on that text as the document changes", async () => {
    const documentId = await newDocument();
    const { thread } = await comments.createThread(member, documentId, {
      body: "One hour is too long",
      anchor: span(TEXT, "one hour"),
      mentions: [],
    });
    expect(thread).toMatchObject({ status: "open", isOutdated: false, quote: "one hour" });
    expect(thread.comments[0]).toMatchObject({
      body: "One hour is too long",
      author: { id: member.user.id, name: "Mia" },
    });

    const text = await edit(documentId, ["Intro. "], [TEXT.length + 7 - 1, " More."]);
    const [listed] = (await comments.listThreads(viewer, documentId)).items;
    expect(listed!.anchor.version).toBe(2);
    expect(text.slice(listed!.anchor.from, listed!.anchor.to)).toBe("one hour");

    const stored = await t.db.withTenant(acme.ctx, (tx) =>
      tx.comment.findUniqueOrThrow({ where: { id: thread.id }, select: { anchorVersion: true, anchorStart: true } }),
    );
    expect(stored).toEqual({ anchorVersion: 2, anchorStart: listed!.anchor.from });
  });

  it("keeps a thread whose text was deleted as outdated, with the text it quoted", async () => {
    const documentId = await newDocument();
    const { thread } = await comments.createThread(member, documentId, {
      body: "Which cache?",
      anchor: span(TEXT, "cache keeps"),
      mentions: [],
    });
    const at = TEXT.indexOf("The cache");
    await edit(documentId, [at, { d: "The cache keeps entries".length }]);
    const { items } = await comments.listThreads(member, documentId);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: thread.id, isOutdated: true, quote: "cache keeps" });
    expect(items[0]!.anchor.from).toBe(items[0]!.anchor.to);
  });

  it("moves a selection made at an older version to the head before storing it", async () => {
    const documentId = await newDocument();
    const text = await edit(documentId, ["Draft. "], ["x"]);
    const { thread } = await comments.createThread(member, documentId, {
      body: "Entries of what?",
      anchor: span(TEXT, "entries", 0),
      mentions: [],
    });
    expect(thread.anchor.version).toBe(2);
    expect(text.slice(thread.anchor.from, thread.anchor.to)).toBe("entries");
    expect(thread.quote).toBe("entries");
  });

  it("refuses a selection whose text was deleted meanwhile, past the text, or ahead of the head, storing nothing", async () => {
    const documentId = await newDocument();
    await edit(documentId, [TEXT.indexOf("entries"), { d: 7 }]);
    await expect(
      comments.createThread(member, documentId, { body: "x", anchor: span(TEXT, "entries", 0), mentions: [] }),
    ).rejects.toMatchObject({ code: "conflict" });
    await expect(
      comments.createThread(member, documentId, {
        body: "x",
        anchor: { from: 0, to: TEXT.length + 10, version: 1 },
        mentions: [],
      }),
    ).rejects.toMatchObject({ code: "validation_failed" });
    await expect(
      comments.createThread(member, documentId, { body: "x", anchor: { from: 0, to: 1, version: 9 }, mentions: [] }),
    ).rejects.toMatchObject({ code: "validation_failed" });
    expect((await comments.listThreads(member, documentId)).items).toEqual([]);
  });

  it("lists threads in document order with replies in the order they were written", async () => {
    const documentId = await newDocument();
    const later = await comments.createThread(member, documentId, {
      body: "Second",
      anchor: span(TEXT, "hour"),
      mentions: [],
    });
    const earlier = await comments.createThread(member, documentId, {
      body: "First",
      anchor: span(TEXT, "Cache"),
      mentions: [],
    });
    await comments.reply(viewer, documentId, later.thread.id, { body: "Agreed", mentions: [] });
    const { thread } = await comments.reply(acme.ctx, documentId, later.thread.id, { body: "Fixed", mentions: [] });
    expect(thread.comments.map((c) => c.body)).toEqual(["Second", "Agreed", "Fixed"]);
    const { items } = await comments.listThreads(member, documentId);
    expect(items.map((x) => x.id)).toEqual([earlier.thread.id, later.thread.id]);
    expect(items[1]!.comments.map((c) => c.author?.name)).toEqual(["Mia", "Vic", "Owner"]);
  });
});

describe("who may do what", () => {
  it("lets a viewer comment, reply, resolve and reopen, since commenting is part of reading", async () => {
    const documentId = await newDocument();
    const { thread } = await comments.createThread(viewer, documentId, {
      body: "Typo?",
      anchor: span(TEXT, "Cache"),
      mentions: [],
    });
    const resolved = await comments.resolve(viewer, documentId, thread.id);
    expect(resolved.thread.status).toBe("resolved");
    expect(resolved.thread.resolvedAt).not.toBeNull();
    const reopened = await comments.reopen(member, documentId, thread.id);
    expect(reopened.thread).toMatchObject({ status: "open", resolvedAt: null });
  });

  it("lets only the author edit a comment, and the author or an admin delete it", async () => {
    const documentId = await newDocument();
    const { thread } = await comments.createThread(member, documentId, {
      body: "Original",
      anchor: span(TEXT, "Cache"),
      mentions: [],
    });
    await expect(
      comments.editBody(viewer, documentId, thread.id, { body: "Hijacked", mentions: [] }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      comments.editBody(acme.ctx, documentId, thread.id, { body: "Hijacked", mentions: [] }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const edited = await comments.editBody(member, documentId, thread.id, { body: "Edited", mentions: [] });
    expect(edited.thread.comments[0]).toMatchObject({ body: "Edited" });
    expect(edited.thread.comments[0]!.editedAt).not.toBeNull();

    const reply = await comments.reply(viewer, documentId, thread.id, { body: "A reply", mentions: [] });
    const replyId = reply.thread.comments[1]!.id;
    await expect(comments.remove(member, documentId, replyId)).rejects.toMatchObject({ code: "forbidden" });
    expect(await comments.remove(viewer, documentId, replyId)).toEqual({
      documentId,
      threadId: thread.id,
      commentId: replyId,
    });
    await comments.reply(viewer, documentId, thread.id, { body: "Another", mentions: [] });
    await comments.remove(acme.ctx, documentId, thread.id);
    expect((await comments.listThreads(member, documentId)).items).toEqual([]);
    const replies = await t.db.withTenant(acme.ctx, (tx) => tx.comment.count({ where: { parentId: thread.id } }));
    expect(replies).toBe(0);
  });

  it("refuses comments on archived documents and bodies over the limit at the edge", async () => {
    const documentId = await newDocument();
    await createDocumentsService(t.db).update(acme.ctx, documentId, { archived: true });
    await expect(
      comments.createThread(member, documentId, { body: "x", anchor: span(TEXT, "Cache"), mentions: [] }),
    ).rejects.toMatchObject({ code: "conflict" });
    const tooLong = CreateCommentThreadInputSchema.safeParse({
      body: "x".repeat(COMMENT_BODY_MAX + 1),
      anchor: { from: 0, to: 1, version: 0 },
    });
    expect(tooLong.success).toBe(false);
  });
});

describe("mentions", () => {
  it("stores mentions of members who can read the document and audits them", async () => {
    const documentId = await newDocument();
    const change = await comments.createThread(member, documentId, {
      body: "@Vic please check",
      anchor: span(TEXT, "Cache"),
      mentions: [viewer.user.id],
    });
    expect(change.mentioned.map((u) => u.id)).toEqual([viewer.user.id]);
    expect(change.thread.comments[0]!.mentions).toEqual([expect.objectContaining({ id: viewer.user.id, name: "Vic" })]);

    const edited = await comments.editBody(member, documentId, change.thread.id, {
      body: "@Vic @Otto please check",
      mentions: [viewer.user.id, outsider.user.id],
    });
    expect(edited.mentioned.map((u) => u.id)).toEqual([outsider.user.id]);

    const audited = await t.db.withTenant(acme.ctx, (tx) =>
      tx.auditLog.findMany({
        where: { action: "comment.mentioned", targetId: change.thread.id },
        orderBy: { createdAt: "asc" },
      }),
    );
    expect(audited.map((row) => (row.metadata as { userIds: string[] }).userIds)).toEqual([
      [viewer.user.id],
      [outsider.user.id],
    ]);
  });

  it("refuses to mention someone outside the organization, or who cannot see a private project", async () => {
    const privateProject = (
      await createProjectsService(t.db).create(acme.ctx, {
        name: "Secret",
        description: "",
        visibility: "private",
        userIds: [member.user.id],
      })
    ).id;
    const documentId = await newDocument(privateProject);
    const base = { body: "Look", anchor: span(TEXT, "Cache") };
    await expect(
      comments.createThread(member, documentId, { ...base, mentions: [globex.owner.id] }),
    ).rejects.toMatchObject({ code: "validation_failed", message: expect.stringContaining("not an active member") });
    await expect(
      comments.createThread(member, documentId, { ...base, mentions: [outsider.user.id] }),
    ).rejects.toMatchObject({ code: "validation_failed", message: expect.stringContaining("cannot read") });
    const ok = await comments.createThread(member, documentId, { ...base, mentions: [acme.owner.id] });
    expect(ok.mentioned.map((u) => u.id)).toEqual([acme.owner.id]);
    expect((await comments.listThreads(member, documentId)).items).toHaveLength(1);
  });
});

describe("tenant isolation", () => {
  it("does not return rows from another tenant", async () => {
    const documentId = await newDocument();
    const { thread } = await comments.createThread(member, documentId, {
      body: "Acme only",
      anchor: span(TEXT, "Cache"),
      mentions: [],
    });
    await expect(comments.listThreads(globex.ctx, documentId)).rejects.toMatchObject({ code: "not_found" });
    await expect(comments.reply(globex.ctx, documentId, thread.id, { body: "hi", mentions: [] })).rejects.toMatchObject(
      {
        code: "not_found",
      },
    );
    await expect(comments.resolve(globex.ctx, documentId, thread.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(comments.remove(globex.ctx, documentId, thread.id)).rejects.toMatchObject({ code: "not_found" });
    // Naming Acme's document and thread from Globex's own document changes nothing either.
    const globexProject = (await createProjectsService(t.db).create(globex.ctx, { name: "G", description: "" })).id;
    const globexDoc = (
      await createDocumentsService(t.db).create(globex.ctx, globexProject, { title: "G", kind: "rfc", content: TEXT })
    ).id;
    await expect(comments.resolve(globex.ctx, globexDoc, thread.id)).rejects.toMatchObject({ code: "not_found" });
    const [still] = (await comments.listThreads(member, documentId)).items;
    expect(still).toMatchObject({ status: "open", comments: [expect.objectContaining({ body: "Acme only" })] });
  });

  it("treats a removed member as a stranger even with a context that still names their old role", async () => {
    const documentId = await newDocument();
    const leaver = await acme.addMember("member", "Lee");
    await createMembersService(t.db).removeMember(acme.ctx, leaver.user.id);
    await expect(
      comments.createThread(leaver, documentId, { body: "x", anchor: span(TEXT, "Cache"), mentions: [] }),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});
