import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { buildOrganization } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMembersService } from "./members.service";
import { createOrganizationsService } from "./organizations.service";

let t: TestDatabase;
let members: ReturnType<typeof createMembersService>;
let organizations: ReturnType<typeof createOrganizationsService>;

beforeAll(async () => {
  t = await createTestDatabase();
  members = createMembersService(t.db);
  organizations = createOrganizationsService(t.db);
});
afterAll(async () => {
  await t?.drop();
});

function auditOf(organizationId: string) {
  return t.db.withTenant({ organizationId }, (tx) =>
    tx.auditLog.findMany({ where: { organizationId }, orderBy: { createdAt: "asc" } }),
  );
}

async function roleOf(organizationId: string, userId: string) {
  return (await organizations.getActor(userId, organizationId))?.role ?? null;
}

describe("members service", () => {
  it("changes a member's role and records who changed it from what to what", async () => {
    const acme = await buildOrganization(t.db);
    const admin = await acme.addMember("admin");
    const member = await acme.addMember("member");
    const dto = await members.changeRole(admin, member.user.id, "viewer");
    expect(dto).toMatchObject({ user: { id: member.user.id }, role: "viewer" });
    expect(await roleOf(acme.organization.id, member.user.id)).toBe("viewer");
    const entry = (await auditOf(acme.organization.id)).find((e) => e.action === "member.role_changed");
    expect(entry).toMatchObject({
      actorUserId: admin.user.id,
      actorType: "user",
      targetType: "user",
      targetId: member.user.id,
      metadata: { from: "member", to: "viewer" },
    });
  });

  it("refuses to demote or remove the last owner, with a conflict that says why", async () => {
    const acme = await buildOrganization(t.db);
    const demote = members.changeRole(acme.ctx, acme.owner.id, "admin");
    await expect(demote).rejects.toMatchObject({ code: "conflict", details: { reason: "last_owner" } });
    await expect(demote).rejects.toThrow(/last owner/);
    await expect(members.removeMember(acme.ctx, acme.owner.id)).rejects.toMatchObject({
      code: "conflict",
      details: { reason: "last_owner" },
    });
    expect(await roleOf(acme.organization.id, acme.owner.id)).toBe("owner");
  });

  it("lets an owner step down once another owner exists", async () => {
    const acme = await buildOrganization(t.db);
    const second = await acme.addMember("owner");
    await members.changeRole(acme.ctx, acme.owner.id, "admin");
    expect(await roleOf(acme.organization.id, acme.owner.id)).toBe("admin");
    await expect(members.removeMember(second, second.user.id)).rejects.toMatchObject({ code: "conflict" });
  });

  it("does not let an admin demote, remove or create an owner", async () => {
    const acme = await buildOrganization(t.db);
    const admin = await acme.addMember("admin");
    const member = await acme.addMember("member");
    await expect(members.changeRole(admin, acme.owner.id, "member")).rejects.toMatchObject({ code: "forbidden" });
    await expect(members.removeMember(admin, acme.owner.id)).rejects.toMatchObject({ code: "forbidden" });
    await expect(members.changeRole(admin, member.user.id, "owner")).rejects.toMatchObject({ code: "forbidden" });
    expect(await roleOf(acme.organization.id, acme.owner.id)).toBe("owner");
  });

  it("forbids members and viewers from managing anyone", async () => {
    const acme = await buildOrganization(t.db);
    const member = await acme.addMember("member");
    const viewer = await acme.addMember("viewer");
    for (const ctx of [member, viewer]) {
      await expect(members.changeRole(ctx, viewer.user.id, "member")).rejects.toMatchObject({ code: "forbidden" });
      await expect(members.removeMember(ctx, member.user.id)).rejects.toMatchObject({ code: "forbidden" });
      await expect(
        members.transferOwnership(ctx, ctx.user.id === member.user.id ? viewer.user.id : member.user.id),
      ).rejects.toMatchObject({ code: "forbidden" });
    }
  });

  it("removes a member, who then has no actor, and records it", async () => {
    const acme = await buildOrganization(t.db);
    const member = await acme.addMember("member");
    await members.removeMember(acme.ctx, member.user.id);
    expect(await roleOf(acme.organization.id, member.user.id)).toBeNull();
    const listed = await organizations.listMembers(acme.ctx, { limit: 100 });
    expect(listed.items.map((m) => m.user.id)).toEqual([acme.owner.id]);
    expect((await auditOf(acme.organization.id)).find((e) => e.action === "member.removed")).toMatchObject({
      targetId: member.user.id,
      metadata: { role: "member" },
    });
  });

  it("transfers ownership: the new owner is the owner and the previous one an admin", async () => {
    const acme = await buildOrganization(t.db);
    const admin = await acme.addMember("admin");
    await expect(members.transferOwnership(admin, admin.user.id)).rejects.toMatchObject({ code: "forbidden" });
    await members.transferOwnership(acme.ctx, admin.user.id);
    expect(await roleOf(acme.organization.id, admin.user.id)).toBe("owner");
    expect(await roleOf(acme.organization.id, acme.owner.id)).toBe("admin");
    expect(
      (await auditOf(acme.organization.id)).find((e) => e.action === "organization.ownership_transferred"),
    ).toMatchObject({ actorUserId: acme.owner.id, targetId: admin.user.id, metadata: { previousRole: "admin" } });
    // The former owner's request context, built before the transfer, no longer carries ownership.
    await expect(members.transferOwnership(acme.ctx, admin.user.id)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("refuses to transfer ownership to oneself or to someone who is not a member", async () => {
    const acme = await buildOrganization(t.db);
    const outsider = await organizations.ensureUser({ email: `outsider-${Date.now()}@example.test`, name: "Out" });
    await expect(members.transferOwnership(acme.ctx, acme.owner.id)).rejects.toMatchObject({
      code: "validation_failed",
    });
    await expect(members.transferOwnership(acme.ctx, outsider.id)).rejects.toMatchObject({ code: "not_found" });
    expect(await roleOf(acme.organization.id, acme.owner.id)).toBe("owner");
  });

  it("cannot reach a member of another organization by id", async () => {
    const acme = await buildOrganization(t.db);
    const globex = await buildOrganization(t.db);
    const acmeAdmin = await acme.addMember("admin");
    const globexMember = await globex.addMember("member");
    await expect(members.changeRole(acmeAdmin, globexMember.user.id, "viewer")).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(members.removeMember(acmeAdmin, globexMember.user.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(members.transferOwnership(acme.ctx, globex.owner.id)).rejects.toMatchObject({ code: "not_found" });
    expect(await roleOf(globex.organization.id, globexMember.user.id)).toBe("member");
    expect(await auditOf(globex.organization.id)).not.toContainEqual(
      expect.objectContaining({ actorUserId: acmeAdmin.user.id }),
    );
  });

  it("does not let addMember sidestep the last-owner rule", async () => {
    const acme = await buildOrganization(t.db);
    await expect(organizations.addMember(acme.ctx, acme.owner.id, "viewer")).rejects.toMatchObject({
      code: "conflict",
    });
  });
});

describe("renaming an organization", () => {
  it("lets admins rename it, keeps the slug and records the old and new names", async () => {
    const acme = await buildOrganization(t.db, "Acme");
    const admin = await acme.addMember("admin");
    const renamed = await organizations.renameOrganization(admin, { name: "Acme Industries" });
    expect(renamed).toMatchObject({
      id: acme.organization.id,
      slug: acme.organization.slug,
      name: "Acme Industries",
      role: "admin",
    });
    expect((await organizations.listMyOrganizations(acme.owner.id))[0]?.name).toBe("Acme Industries");
    expect((await auditOf(acme.organization.id)).find((e) => e.action === "organization.renamed")).toMatchObject({
      actorUserId: admin.user.id,
      metadata: { from: "Acme", to: "Acme Industries" },
    });
  });

  it("forbids members from renaming it", async () => {
    const acme = await buildOrganization(t.db);
    const member = await acme.addMember("member");
    await expect(organizations.renameOrganization(member, { name: "Mine now" })).rejects.toMatchObject({
      code: "forbidden",
    });
  });
});
