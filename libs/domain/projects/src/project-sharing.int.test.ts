import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createMembersService } from "@devflow/domain-organizations";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectsService } from "./projects.service";

// What the projects service records when it shares a private project (notifications tell the
// people it names; domain/notifications tests that side).

let t: TestDatabase;
let acme: OrganizationFixture;
let projects: ReturnType<typeof createProjectsService>;

beforeAll(async () => {
  t = await createTestDatabase();
  projects = createProjectsService(t.db);
  acme = await buildOrganization(t.db, "Acme");
});
afterAll(async () => {
  await t?.drop();
});

async function buildGroup(memberIds: string[]): Promise<string> {
  return t.db.withTenant(acme.ctx, async (tx) => {
    const group = await tx.group.create({ data: { organizationId: acme.organization.id, name: `G ${randomUUID()}` } });
    for (const userId of memberIds) {
      await tx.groupMember.create({ data: { organizationId: acme.organization.id, groupId: group.id, userId } });
    }
    return group.id;
  });
}

/** The project.shared payloads recorded for a project, oldest first. */
async function shared(projectId: string) {
  const rows = await t.db.withTenant(acme.ctx, (tx) =>
    tx.outboxEvent.findMany({ where: { type: "project.shared" }, orderBy: { createdAt: "asc" } }),
  );
  return rows
    .map((row) => row.payload as { projectId: string; sharedById: string; userIds: string[] })
    .filter((payload) => payload.projectId === projectId);
}

describe("sharing a private project", () => {
  it("records, with the grant, the active members it lets see the project who could not before", async () => {
    const mia = await acme.addMember("member", "Mia");
    const bo = await acme.addMember("member", "Bo");
    const cy = await acme.addMember("viewer", "Cy");
    const ada = await acme.addMember("admin", "Ada");
    const gone = await acme.addMember("member", "Gone");
    const project = await projects.create(mia, {
      name: "Payments",
      description: "",
      visibility: "private",
      userIds: [bo.user.id],
    });
    expect(await shared(project.id)).toEqual([
      { projectId: project.id, sharedById: mia.user.id, userIds: [bo.user.id] },
    ]);

    const groupId = await buildGroup([bo.user.id, cy.user.id, ada.user.id, gone.user.id, mia.user.id]);
    await createMembersService(t.db).removeMember(acme.ctx, gone.user.id);
    await projects.setAccess(mia, project.id, { visibility: "private", userIds: [mia.user.id], groupIds: [groupId] });
    // Bo was listed already, Ada sees every project, Gone left, Mia shared it: Cy alone is new.
    expect((await shared(project.id)).at(-1)).toEqual({
      projectId: project.id,
      sharedById: mia.user.id,
      userIds: [cy.user.id],
    });
  });

  it("records nothing when nobody new can see it, or the grant is refused", async () => {
    const mia = await acme.addMember("member", "Mia");
    const bo = await acme.addMember("member", "Bo");
    const project = await projects.create(mia, { name: "Ledger", description: "", visibility: "private" });
    await projects.setAccess(mia, project.id, { visibility: "private", userIds: [mia.user.id], groupIds: [] });
    await expect(
      projects.setAccess(mia, project.id, {
        visibility: "private",
        userIds: [mia.user.id, bo.user.id, randomUUID()],
        groupIds: [],
      }),
    ).rejects.toMatchObject({ code: "validation_failed" });
    await projects.setAccess(acme.ctx, project.id, {
      visibility: "organization",
      userIds: [bo.user.id],
      groupIds: [],
    });
    expect(await shared(project.id)).toEqual([]);
  });
});
