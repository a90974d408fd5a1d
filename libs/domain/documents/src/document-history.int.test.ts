import type { RequestContext } from "@devflow/auth";
import { apply, type TextOp } from "@devflow/collab-ot";
import type { Prisma } from "@devflow/db";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDocumentHistoryService } from "./document-history.service";
import { createDocumentsService } from "./documents.service";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let documents: ReturnType<typeof createDocumentsService>;
let projects: ReturnType<typeof createProjectsService>;
let member: RequestContext & { user: { id: string } };
let viewer: RequestContext & { user: { id: string } };
let admin: RequestContext & { user: { id: string } };
let projectId: string;
let seq = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  documents = createDocumentsService(t.db);
  projects = createProjectsService(t.db);
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  member = await acme.addMember("member", "Mia");
  viewer = await acme.addMember("viewer", "Vic");
  admin = await acme.addMember("admin", "Ada");
  projectId = (await projects.create(acme.ctx, { name: "History", description: "" })).id;
});
afterAll(async () => {
  await t?.drop();
});

async function newDocument(content = "", inProject = projectId): Promise<string> {
  return (await documents.create(acme.ctx, inProject, { title: "Doc", kind: "rfc", content })).id;
}

/**
 * Commits ops as the collab engine does (op log, head row) and writes a snapshot every 3 versions,
 * so reading an old version starts from a snapshot other than version 0. Returns every version's text.
 */
async function commitOps(documentId: string, steps: { userId: string; op: TextOp }[]): Promise<string[]> {
  return t.db.withTenant(acme.ctx, async (tx) => {
    const head = await tx.document.findUniqueOrThrow({
      where: { id: documentId },
      select: { content: true, version: true },
    });
    const texts = [head.content];
    let version = head.version;
    for (const step of steps) {
      const text = apply(texts.at(-1)!, step.op);
      texts.push(text);
      version += 1;
      seq += 1;
      await tx.documentOperation.create({
        data: {
          organizationId: acme.organization.id,
          documentId,
          version,
          op: step.op as unknown as Prisma.InputJsonValue,
          userId: step.userId,
          clientId: "test-client",
          clientSeq: seq,
        },
      });
      if (version % 3 === 0) {
        await tx.documentSnapshot.create({
          data: { organizationId: acme.organization.id, documentId, version, content: text },
        });
      }
    }
    await tx.document.update({ where: { id: documentId }, data: { content: texts.at(-1)!, version } });
    return texts;
  });
}

/** Appends each text at the end, as its user, one op each. */
async function typeAll(documentId: string, steps: { userId: string; text: string }[]): Promise<string[]> {
  const start = (await documents.get(acme.ctx, documentId)).content.length;
  let length = start;
  return commitOps(
    documentId,
    steps.map((step) => {
      const op: TextOp = length > 0 ? [length, step.text] : [step.text];
      length += step.text.length;
      return { userId: step.userId, op };
    }),
  );
}

async function setOpTimes(documentId: string, minutesByVersion: Record<number, number>) {
  const origin = Date.parse("2026-01-05T09:00:00.000Z");
  await t.db.withTenant(acme.ctx, async (tx) => {
    for (const [version, minutes] of Object.entries(minutesByVersion)) {
      await tx.documentOperation.updateMany({
        where: { documentId, version: Number(version) },
        data: { createdAt: new Date(origin + minutes * 60_000) },
      });
    }
  });
}

describe("document history", () => {
  it("groups a person's consecutive edits into timeline entries, newest first, across pages", async () => {
    const documentId = await newDocument();
    const owner = acme.owner.id;
    await typeAll(documentId, [
      { userId: owner, text: "abc" },
      { userId: owner, text: "de" },
      { userId: owner, text: "f" },
      { userId: member.user.id, text: "ghij" },
      { userId: member.user.id, text: "k" },
      { userId: owner, text: "l" },
      { userId: owner, text: "m" },
      { userId: owner, text: "n" },
    ]);
    await commitOps(documentId, [{ userId: member.user.id, op: [2, { d: 3 }] }]);
    // 1–3 owner, 4–5 member, 6–7 owner after a pause of 17 minutes, 8 owner again 10 minutes later, 9 member.
    await setOpTimes(documentId, { 1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 21, 7: 22, 8: 32, 9: 33 });

    const history = createDocumentHistoryService(t.db, { scanChunk: 2 });
    const all = await history.timeline(viewer, documentId, { limit: 100 });
    expect(all.nextCursor).toBeNull();
    expect(all.items.map((e) => [e.fromVersion, e.toVersion, e.user?.name])).toEqual([
      [9, 9, "Mia"],
      [8, 8, "Owner"],
      [6, 7, "Owner"],
      [4, 5, "Mia"],
      [1, 3, "Owner"],
    ]);
    expect(all.items[0]).toMatchObject({ baseVersion: 8, opCount: 1, charsInserted: 0, charsDeleted: 3 });
    expect(all.items[4]).toMatchObject({
      baseVersion: 0,
      opCount: 3,
      charsInserted: 6,
      charsDeleted: 0,
      startedAt: "2026-01-05T09:00:00.000Z",
      endedAt: "2026-01-05T09:02:00.000Z",
    });

    const seen: number[][] = [];
    let cursor: string | undefined;
    do {
      const page = await history.timeline(acme.ctx, documentId, { limit: 2, ...(cursor && { cursor }) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((e) => [e.fromVersion, e.toVersion]));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.items.map((e) => [e.fromVersion, e.toVersion]));
    await expect(history.timeline(acme.ctx, documentId, { limit: 2, cursor: "bogus" })).rejects.toMatchObject({
      code: "validation_failed",
    });
  });

  it("reads the text at every version and diffs any two", async () => {
    const documentId = await newDocument("# Plan\n");
    const steps = Array.from({ length: 10 }, (_, i) => ({ userId: acme.owner.id, text: `line ${i}\n` }));
    const texts = await typeAll(documentId, steps);
    const history = documents.history;
    for (let version = 0; version < texts.length; version++) {
      expect((await history.textAt(viewer, documentId, version)).content).toBe(texts[version]);
    }
    await expect(history.textAt(acme.ctx, documentId, texts.length)).rejects.toMatchObject({ code: "not_found" });

    const diff = await history.diff(viewer, documentId, 2, 4);
    expect(diff).toMatchObject({ fromVersion: 2, toVersion: 4, linesInserted: 2, linesDeleted: 0 });
    expect(diff.hunks).toHaveLength(1);
    expect(diff.hunks[0]!.lines.filter((l) => l.kind === "insert")).toEqual([
      { kind: "insert", text: "line 2", newLine: 4 },
      { kind: "insert", text: "line 3", newLine: 5 },
    ]);
    const back = await history.diff(viewer, documentId, 10, 0);
    expect(back).toMatchObject({ linesInserted: 0, linesDeleted: 10 });
    expect((await history.diff(viewer, documentId, 5, 5)).hunks).toEqual([]);
  });

  it("names versions, lists them, and lets only admins delete them", async () => {
    const documentId = await newDocument("one\n");
    const texts = await typeAll(documentId, [
      { userId: acme.owner.id, text: "two\n" },
      { userId: member.user.id, text: "three\n" },
    ]);
    const history = documents.history;
    const current = await history.createRevision(member, documentId, { name: "Sent for review" });
    expect(current).toMatchObject({ name: "Sent for review", version: 2, createdBy: { name: "Mia" } });
    const earlier = await history.createRevision(acme.ctx, documentId, { name: "First draft", version: 1 });
    expect(earlier.version).toBe(1);
    const stored = await t.db.withTenant(acme.ctx, (tx) =>
      tx.documentRevision.findUniqueOrThrow({ where: { id: earlier.id }, select: { content: true } }),
    );
    expect(stored.content).toBe(texts[1]);
    expect((await history.listRevisions(viewer, documentId)).items.map((r) => r.name)).toEqual([
      "Sent for review",
      "First draft",
    ]);

    await expect(history.createRevision(viewer, documentId, { name: "Nope" })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(history.createRevision(member, documentId, { name: "Future", version: 99 })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(history.deleteRevision(member, documentId, earlier.id)).rejects.toMatchObject({ code: "forbidden" });
    await expect(history.deleteRevision(viewer, documentId, earlier.id)).rejects.toMatchObject({ code: "forbidden" });
    await history.deleteRevision(admin, documentId, earlier.id);
    await expect(history.deleteRevision(admin, documentId, earlier.id)).rejects.toMatchObject({ code: "not_found" });
    const other = await newDocument();
    await expect(history.deleteRevision(acme.ctx, other, current.id)).rejects.toMatchObject({ code: "not_found" });
    expect((await history.listRevisions(acme.ctx, documentId)).items.map((r) => r.id)).toEqual([current.id]);
  });

  it("hides another organization's document and a private project's history", async () => {
    const documentId = await newDocument("secret\n");
    await typeAll(documentId, [{ userId: acme.owner.id, text: "more\n" }]);
    const revision = await documents.history.createRevision(acme.ctx, documentId, { name: "v1" });
    const history = documents.history;
    const attempts = (ctx: RequestContext): (() => Promise<unknown>)[] => [
      () => history.timeline(ctx, documentId, { limit: 10 }),
      () => history.listRevisions(ctx, documentId),
      () => history.createRevision(ctx, documentId, { name: "x" }),
      () => history.deleteRevision(ctx, documentId, revision.id),
      () => history.textAt(ctx, documentId, 0),
      () => history.diff(ctx, documentId, 0, 1),
    ];
    for (const attempt of attempts(globex.ctx)) await expect(attempt()).rejects.toMatchObject({ code: "not_found" });

    const privateProject = await projects.create(acme.ctx, { name: "Board", description: "" });
    await projects.setAccess(acme.ctx, privateProject.id, { visibility: "private", userIds: [], groupIds: [] });
    const hidden = await newDocument("board only\n", privateProject.id);
    const outsider = await acme.addMember("member", "Outsider");
    await expect(history.timeline(outsider, hidden, { limit: 10 })).rejects.toMatchObject({ code: "not_found" });
    await expect(history.textAt(outsider, hidden, 0)).rejects.toMatchObject({ code: "not_found" });
    await expect(history.createRevision(outsider, hidden, { name: "x" })).rejects.toMatchObject({ code: "not_found" });
    expect((await history.textAt(admin, hidden, 0)).content).toBe("board only\n");
    expect((await history.textAt(acme.ctx, documentId, 1)).content).toBe("secret\nmore\n");
  });
});
