import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDocumentsService } from "./documents.service";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let documents: ReturnType<typeof createDocumentsService>;
let projects: ReturnType<typeof createProjectsService>;

beforeAll(async () => {
  t = await createTestDatabase();
  documents = createDocumentsService(t.db);
  projects = createProjectsService(t.db);
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
});
afterAll(async () => {
  await t?.drop();
});

describe("documents service", () => {
  it("creates a document at version 0 with its first snapshot, and reads it back", async () => {
    const project = await projects.create(acme.ctx, { name: "Payments", description: "" });
    const doc = await documents.create(acme.ctx, project.id, {
      title: "Ledger design",
      kind: "design_doc",
      content: "# Ledger",
    });
    expect(doc).toMatchObject({ title: "Ledger design", kind: "design_doc", version: 0, content: "# Ledger" });
    expect(await documents.get(acme.ctx, doc.id)).toEqual(doc);
    const [snapshot] = await t.db.withTenant(acme.ctx, (tx) =>
      tx.documentSnapshot.findMany({ where: { documentId: doc.id } }),
    );
    expect(snapshot).toMatchObject({ version: 0, content: "# Ledger" });
  });

  it("announces a new and an archived document through the outbox, in the same transaction", async () => {
    const project = await projects.create(acme.ctx, { name: "Events", description: "" });
    const doc = await documents.create(acme.ctx, project.id, { title: "Outbox", kind: "design_doc", content: "" });
    await documents.update(acme.ctx, doc.id, { archived: true });
    await documents.update(acme.ctx, doc.id, { title: "Outbox (renamed while archived)" });
    const events = await t.db.withTenant(acme.ctx, (tx) =>
      tx.outboxEvent.findMany({
        where: { payload: { path: ["documentId"], equals: doc.id } },
        orderBy: { createdAt: "asc" },
      }),
    );
    expect(events.map((e) => [e.type, e.version, e.payload])).toEqual([
      [
        "document.created",
        1,
        { documentId: doc.id, projectId: project.id, title: "Outbox", createdById: acme.owner.id },
      ],
      ["document.archived", 1, { documentId: doc.id, projectId: project.id, archivedById: acme.owner.id }],
    ]);
    // A refused change announces nothing.
    const viewer = await acme.addMember("viewer");
    await expect(
      documents.create(viewer, project.id, { title: "No", kind: "design_doc", content: "" }),
    ).rejects.toThrow();
    const count = await t.db.withTenant(acme.ctx, (tx) =>
      tx.outboxEvent.count({ where: { type: "document.created", payload: { path: ["title"], equals: "No" } } }),
    );
    expect(count).toBe(0);
  });

  it("pages through a project's documents newest first without repeating or skipping", async () => {
    const project = await projects.create(acme.ctx, { name: "Paging", description: "" });
    for (let i = 0; i < 7; i++)
      await documents.create(acme.ctx, project.id, { title: `Doc ${i}`, kind: "rfc", content: "" });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await documents.list(acme.ctx, project.id, { limit: 3, archived: false, ...(cursor && { cursor }) });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((d) => d.title));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const all = await documents.list(acme.ctx, project.id, { limit: 100, archived: false });
    expect(seen).toHaveLength(7);
    expect(seen).toEqual(all.items.map((d) => d.title));
    const times = all.items.map((d) => d.updatedAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it("renames, moves between projects, archives and deletes", async () => {
    const from = await projects.create(acme.ctx, { name: "From", description: "" });
    const to = await projects.create(acme.ctx, { name: "To", description: "" });
    const doc = await documents.create(acme.ctx, from.id, { title: "Draft", kind: "adr", content: "" });
    expect((await documents.update(acme.ctx, doc.id, { title: "ADR-1: Use Postgres" })).title).toBe(
      "ADR-1: Use Postgres",
    );
    expect((await documents.update(acme.ctx, doc.id, { projectId: to.id })).projectId).toBe(to.id);
    await documents.update(acme.ctx, doc.id, { archived: true });
    expect((await documents.list(acme.ctx, to.id, { limit: 10, archived: false })).items).toEqual([]);
    expect((await documents.list(acme.ctx, to.id, { limit: 10, archived: true })).items.map((d) => d.id)).toEqual([
      doc.id,
    ]);
    await documents.remove(acme.ctx, doc.id);
    await expect(documents.get(acme.ctx, doc.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("lets viewers read but not create, change or delete", async () => {
    const viewer = await acme.addMember("viewer");
    const project = await projects.create(acme.ctx, { name: "Viewable", description: "" });
    const doc = await documents.create(acme.ctx, project.id, { title: "Read me", kind: "other", content: "" });
    expect((await documents.get(viewer, doc.id)).title).toBe("Read me");
    await expect(
      documents.create(viewer, project.id, { title: "x", kind: "other", content: "" }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(documents.update(viewer, doc.id, { title: "x" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(documents.remove(viewer, doc.id)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("does not return rows from another tenant", async () => {
    const project = await projects.create(acme.ctx, { name: "Secret plans", description: "" });
    const doc = await documents.create(acme.ctx, project.id, { title: "Acme only", kind: "rfc", content: "secret" });
    await expect(documents.get(globex.ctx, doc.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(documents.list(globex.ctx, project.id, { limit: 10, archived: false })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(documents.update(globex.ctx, doc.id, { title: "pwned" })).rejects.toMatchObject({ code: "not_found" });
    await expect(documents.remove(globex.ctx, doc.id)).rejects.toMatchObject({ code: "not_found" });
    const globexProject = await projects.create(globex.ctx, { name: "Globex", description: "" });
    await expect(documents.update(acme.ctx, doc.id, { projectId: globexProject.id })).rejects.toMatchObject({
      code: "not_found",
    });
    expect((await documents.get(acme.ctx, doc.id)).title).toBe("Acme only");
  });

  it("hides documents of a private project from members who are not on it", async () => {
    const member = await acme.addMember("member");
    const project = await projects.create(acme.ctx, { name: "Private", description: "" });
    await t.db.withTenant(acme.ctx, (tx) =>
      tx.project.update({ where: { id: project.id }, data: { visibility: "private" } }),
    );
    const doc = await documents.create(acme.ctx, project.id, { title: "Board only", kind: "other", content: "" });
    await expect(documents.get(member, doc.id)).rejects.toMatchObject({ code: "not_found" });
    expect((await projects.list(member, { limit: 100, archived: false })).items.map((p) => p.id)).not.toContain(
      project.id,
    );
    await t.db.withTenant(acme.ctx, (tx) =>
      tx.projectMember.create({
        data: { organizationId: acme.organization.id, projectId: project.id, userId: member.actor.userId },
      }),
    );
    expect((await documents.get(member, doc.id)).title).toBe("Board only");
  });

  it("opens a live session for members who can see the document, read-only for viewers and archived documents", async () => {
    const viewer = await acme.addMember("viewer", "Vera");
    const project = await projects.create(acme.ctx, { name: "Live", description: "" });
    const doc = await documents.create(acme.ctx, project.id, { title: "Live doc", kind: "rfc", content: "" });
    expect(await documents.openSession(acme.ctx, doc.id)).toEqual({
      documentId: doc.id,
      organizationId: acme.organization.id,
      canEdit: true,
      user: { id: acme.owner.id, name: "Owner", avatarUrl: null },
    });
    expect(await documents.openSession(viewer, doc.id)).toMatchObject({ canEdit: false, user: { name: "Vera" } });
    // The role comes from the membership, not from what the caller claims.
    const claimsOwner = { ...viewer, actor: { ...viewer.actor, role: "owner" as const } };
    expect((await documents.openSession(claimsOwner, doc.id)).canEdit).toBe(false);
    await documents.update(acme.ctx, doc.id, { archived: true });
    expect((await documents.openSession(acme.ctx, doc.id)).canEdit).toBe(false);
    await expect(documents.openSession(globex.ctx, doc.id)).rejects.toMatchObject({ code: "not_found" });
    const stranger = { ...globex.ctx, organizationId: acme.organization.id };
    await expect(documents.openSession(stranger, doc.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses new documents in an archived project", async () => {
    const project = await projects.create(acme.ctx, { name: "Old", description: "" });
    await projects.update(acme.ctx, project.id, { archived: true });
    await expect(
      documents.create(acme.ctx, project.id, { title: "x", kind: "other", content: "" }),
    ).rejects.toMatchObject({ code: "conflict" });
  });
  it("hides the documents of a private project from members not on its list, by list and by id", async () => {
    const outsider = await acme.addMember("member", "Outsider");
    const listed = await acme.addMember("member", "Listed");
    const admin = await acme.addMember("admin", "Admin");
    const project = await projects.create(acme.ctx, { name: "Secret plans", description: "" });
    const doc = await documents.create(acme.ctx, project.id, { title: "Roadmap", kind: "other", content: "" });
    expect((await documents.get(outsider, doc.id)).id).toBe(doc.id);

    await projects.setAccess(acme.ctx, project.id, { visibility: "private", userIds: [listed.user.id], groupIds: [] });
    await expect(documents.list(outsider, project.id, { limit: 10, archived: false })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(documents.get(outsider, doc.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(documents.update(outsider, doc.id, { title: "Mine now" })).rejects.toMatchObject({
      code: "not_found",
    });
    for (const ctx of [listed, admin, acme.ctx]) {
      expect((await documents.get(ctx, doc.id)).id).toBe(doc.id);
      expect((await documents.list(ctx, project.id, { limit: 10, archived: false })).items).toHaveLength(1);
    }
  });
});
