import type { RequestContext } from "@devflow/auth";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectsService, loadVisibleProject } from "./projects.service";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let projects: ReturnType<typeof createProjectsService>;

beforeAll(async () => {
  t = await createTestDatabase();
  projects = createProjectsService(t.db);
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
});
afterAll(async () => {
  await t?.drop();
});

/** Groups come from SCIM in production; tests make them directly inside the tenant. */
async function buildGroup(org: OrganizationFixture, name: string, memberIds: string[]) {
  return t.db.withTenant(org.ctx, async (tx) => {
    const group = await tx.group.create({ data: { organizationId: org.organization.id, name } });
    for (const userId of memberIds) {
      await tx.groupMember.create({ data: { organizationId: org.organization.id, groupId: group.id, userId } });
    }
    return group;
  });
}

async function auditActions(org: OrganizationFixture, projectId: string) {
  return t.db.withTenant(org.ctx, (tx) =>
    tx.auditLog.findMany({
      where: { targetType: "project", targetId: projectId },
      select: { action: true, metadata: true, actorUserId: true },
      orderBy: { createdAt: "asc" },
    }),
  );
}

async function seesProject(ctx: RequestContext, projectId: string): Promise<boolean> {
  const listed = (await projects.list(ctx, { limit: 100, archived: false })).items.some((p) => p.id === projectId);
  const fetched = await projects.get(ctx, projectId).then(
    () => true,
    (error: { code?: string }) => {
      if (error.code !== "not_found") throw error;
      return false;
    },
  );
  expect(fetched).toBe(listed);
  return fetched;
}

/**
 * The check domain/documents runs before listing, reading or writing a project's documents (its own
 * tests cover the documents side; importing that domain here would make a dependency cycle).
 */
function passesDocumentsGate(ctx: RequestContext, projectId: string) {
  return t.db.withTenant(ctx, (tx) => loadVisibleProject(tx, ctx, projectId));
}

describe("private projects", () => {
  it("hides a private project, and its documents, from members who are not on its list", async () => {
    const outsider = await acme.addMember("member", "Outsider");
    const listed = await acme.addMember("member", "Listed");
    const inGroup = await acme.addMember("viewer", "Grouped");
    const admin = await acme.addMember("admin", "Admin");
    const group = await buildGroup(acme, `Payments ${Date.now()}`, [inGroup.user.id]);

    const project = await projects.create(acme.ctx, { name: "Secret plans", description: "" });
    expect(await seesProject(outsider, project.id)).toBe(true);

    const access = await projects.setAccess(acme.ctx, project.id, {
      visibility: "private",
      userIds: [listed.user.id],
      groupIds: [group.id],
    });
    expect(access).toMatchObject({
      visibility: "private",
      members: [{ userId: listed.user.id, name: "Listed", role: "member" }],
      groups: [{ groupId: group.id, memberCount: 1 }],
      canManage: true,
    });

    expect(await seesProject(outsider, project.id)).toBe(false);
    await expect(passesDocumentsGate(outsider, project.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(projects.getAccess(outsider, project.id)).rejects.toMatchObject({ code: "not_found" });

    for (const ctx of [listed, inGroup, admin, acme.ctx]) {
      expect(await seesProject(ctx, project.id)).toBe(true);
      expect((await passesDocumentsGate(ctx, project.id)).id).toBe(project.id);
    }
    expect((await projects.getAccess(listed, project.id)).canManage).toBe(false);
  });

  it("hides the project again as soon as someone is taken off the list", async () => {
    const alice = await acme.addMember("member", "Alice");
    const bob = await acme.addMember("member", "Bob");
    const project = await projects.create(acme.ctx, {
      name: "Hiring",
      description: "",
      visibility: "private",
      userIds: [alice.user.id, bob.user.id],
    });
    expect(await seesProject(bob, project.id)).toBe(true);

    await projects.setAccess(acme.ctx, project.id, { visibility: "private", userIds: [alice.user.id], groupIds: [] });
    expect(await seesProject(bob, project.id)).toBe(false);
    expect(await seesProject(alice, project.id)).toBe(true);

    const access = await projects.getAccess(alice, project.id);
    expect(access.members.map((m) => m.userId)).toEqual([alice.user.id]);
  });

  it("lets a member leave a group and lose the project with it", async () => {
    const carol = await acme.addMember("member", "Carol");
    const group = await buildGroup(acme, `Design ${Date.now()}`, [carol.user.id]);
    const project = await projects.create(acme.ctx, {
      name: "Rebrand",
      description: "",
      visibility: "private",
      groupIds: [group.id],
    });
    expect(await seesProject(carol, project.id)).toBe(true);
    await t.db.withTenant(acme.ctx, (tx) => tx.groupMember.deleteMany({ where: { groupId: group.id } }));
    expect(await seesProject(carol, project.id)).toBe(false);
  });

  it("refuses access changes from members who neither administer nor created the project", async () => {
    const member = await acme.addMember("member");
    const project = await projects.create(acme.ctx, { name: "Budget", description: "" });
    await expect(
      projects.setAccess(member, project.id, { visibility: "private", userIds: [member.user.id], groupIds: [] }),
    ).rejects.toMatchObject({ code: "forbidden" });
    expect((await projects.getAccess(member, project.id)).canManage).toBe(false);
    expect((await projects.get(acme.ctx, project.id)).visibility).toBe("organization");
  });

  it("lets the creator manage access, but not drop themselves from a private list", async () => {
    const creator = await acme.addMember("member", "Creator");
    const colleague = await acme.addMember("member", "Colleague");
    const project = await projects.create(creator, { name: "Side quest", description: "" });
    expect((await projects.getAccess(creator, project.id)).canManage).toBe(true);

    await expect(
      projects.setAccess(creator, project.id, { visibility: "private", userIds: [colleague.user.id], groupIds: [] }),
    ).rejects.toMatchObject({ code: "validation_failed" });

    const viaGroup = await buildGroup(acme, `Quest ${Date.now()}`, [creator.user.id]);
    const access = await projects.setAccess(creator, project.id, {
      visibility: "private",
      userIds: [colleague.user.id],
      groupIds: [viaGroup.id],
    });
    expect(access.visibility).toBe("private");
    expect(await seesProject(creator, project.id)).toBe(true);

    const demoted = { ...creator, actor: { ...creator.actor, role: "viewer" as const } };
    await expect(
      projects.setAccess(demoted, project.id, { visibility: "organization", userIds: [], groupIds: [] }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });

  it("adds the creator to a private project they create", async () => {
    const creator = await acme.addMember("member");
    const project = await projects.create(creator, { name: "Solo", description: "", visibility: "private" });
    expect(project.visibility).toBe("private");
    expect(await seesProject(creator, project.id)).toBe(true);
    expect((await projects.getAccess(creator, project.id)).members.map((m) => m.userId)).toEqual([creator.user.id]);
  });

  it("rejects ids that are not active members or groups of the organization", async () => {
    const project = await projects.create(acme.ctx, { name: "Ids", description: "" });
    const stranger = await globex.addMember("member", "Stranger");
    const globexGroup = await buildGroup(globex, `Globex team ${Date.now()}`, [stranger.user.id]);

    await expect(
      projects.setAccess(acme.ctx, project.id, { visibility: "private", userIds: [stranger.user.id], groupIds: [] }),
    ).rejects.toMatchObject({ code: "validation_failed", message: expect.stringContaining(stranger.user.id) });
    await expect(
      projects.setAccess(acme.ctx, project.id, { visibility: "private", userIds: [], groupIds: [globexGroup.id] }),
    ).rejects.toMatchObject({ code: "validation_failed", message: expect.stringContaining(globexGroup.id) });
    await expect(
      projects.create(acme.ctx, { name: "Ids 2", description: "", visibility: "private", userIds: [stranger.user.id] }),
    ).rejects.toMatchObject({ code: "validation_failed" });

    const leaver = await acme.addMember("member");
    await t.db.withTenant(acme.ctx, (tx) =>
      tx.membership.updateMany({ where: { userId: leaver.user.id }, data: { status: "deactivated" } }),
    );
    await expect(
      projects.setAccess(acme.ctx, project.id, { visibility: "private", userIds: [leaver.user.id], groupIds: [] }),
    ).rejects.toMatchObject({ code: "validation_failed" });

    // Nothing half-applied: every refused call left the project as it was.
    expect(await projects.getAccess(acme.ctx, project.id)).toMatchObject({
      visibility: "organization",
      members: [],
      groups: [],
    });
    expect(await projects.list(acme.ctx, { limit: 100, archived: false })).toMatchObject({
      items: expect.not.arrayContaining([expect.objectContaining({ name: "Ids 2" })]),
    });
  });

  it("does not return rows from another tenant", async () => {
    const secret = await projects.create(globex.ctx, { name: "Globex secret", description: "" });
    await expect(projects.getAccess(acme.ctx, secret.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(
      projects.setAccess(acme.ctx, secret.id, { visibility: "private", userIds: [acme.owner.id], groupIds: [] }),
    ).rejects.toMatchObject({ code: "not_found" });
    expect((await projects.get(globex.ctx, secret.id)).visibility).toBe("organization");

    const globexGroup = await buildGroup(globex, `Hidden ${Date.now()}`, []);
    const acmeGroups = await projects.listGroups(acme.ctx, { limit: 100 });
    expect(acmeGroups.items.map((g) => g.id)).not.toContain(globexGroup.id);
  });

  it("records visibility and list changes in the audit log, with counts", async () => {
    const dana = await acme.addMember("member");
    const erin = await acme.addMember("member");
    const project = await projects.create(acme.ctx, { name: "Audited", description: "" });

    await projects.setAccess(acme.ctx, project.id, {
      visibility: "private",
      userIds: [dana.user.id, erin.user.id],
      groupIds: [],
    });
    await projects.setAccess(acme.ctx, project.id, { visibility: "private", userIds: [dana.user.id], groupIds: [] });
    await projects.setAccess(acme.ctx, project.id, { visibility: "private", userIds: [dana.user.id], groupIds: [] });
    await projects.setAccess(acme.ctx, project.id, {
      visibility: "organization",
      userIds: [dana.user.id],
      groupIds: [],
    });

    const entries = await auditActions(acme, project.id);
    expect(entries).toHaveLength(4);
    expect(entries).toEqual(
      expect.arrayContaining([
        {
          action: "project.visibility_changed",
          metadata: { from: "organization", to: "private" },
          actorUserId: acme.owner.id,
        },
        {
          action: "project.access_changed",
          metadata: { usersAdded: 2, usersRemoved: 0, groupsAdded: 0, groupsRemoved: 0, userCount: 2, groupCount: 0 },
          actorUserId: acme.owner.id,
        },
        {
          action: "project.access_changed",
          metadata: { usersAdded: 0, usersRemoved: 1, groupsAdded: 0, groupsRemoved: 0, userCount: 1, groupCount: 0 },
          actorUserId: acme.owner.id,
        },
        {
          action: "project.visibility_changed",
          metadata: { from: "private", to: "organization" },
          actorUserId: acme.owner.id,
        },
      ]),
    );
  });

  it("lists the organization's groups with member counts, by name and by search", async () => {
    const org = await buildOrganization(t.db);
    const member = await org.addMember("member");
    await buildGroup(org, "Platform", [member.user.id, org.owner.id]);
    await buildGroup(org, "Design", []);
    await buildGroup(org, "Data platform", [member.user.id]);

    const all = await projects.listGroups(member, { limit: 2 });
    const rest = await projects.listGroups(member, { limit: 2, cursor: all.nextCursor! });
    expect([...all.items, ...rest.items].map((g) => [g.name, g.memberCount])).toEqual([
      ["Data platform", 1],
      ["Design", 0],
      ["Platform", 2],
    ]);
    expect(rest.nextCursor).toBeNull();
    expect((await projects.listGroups(member, { limit: 10, q: "PLATF" })).items.map((g) => g.name)).toEqual([
      "Data platform",
      "Platform",
    ]);
  });
});
