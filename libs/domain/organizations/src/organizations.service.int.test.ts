import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { buildOrganization } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrganizationsService } from "./organizations.service";

let t: TestDatabase;
let organizations: ReturnType<typeof createOrganizationsService>;

beforeAll(async () => {
  t = await createTestDatabase();
  organizations = createOrganizationsService(t.db);
});
afterAll(async () => {
  await t?.drop();
});

describe("organizations service", () => {
  it("makes the creator the owner and gives each organization a unique slug", async () => {
    const user = await organizations.ensureUser({ email: "Founder@Example.test", name: "Founder" });
    const first = await organizations.createOrganization(user.id, { name: "Initech" });
    const second = await organizations.createOrganization(user.id, { name: "Initech" });
    expect(first).toMatchObject({ slug: "initech", role: "owner" });
    expect(second.slug).toBe("initech-2");
    expect((await organizations.listMyOrganizations(user.id)).map((o) => o.id).sort()).toEqual(
      [first.id, second.id].sort(),
    );
  });

  it("never gives an organization a slug that shadows one of the app's own routes", async () => {
    const user = await organizations.ensureUser({ email: "routes@example.test", name: "Routes" });
    for (const name of ["SCIM", "Sign in", "API"]) {
      const created = await organizations.createOrganization(user.id, { name });
      expect(created.slug).toMatch(/-team(-\d+)?$/);
    }
  });

  it("finds users by email case-insensitively and never duplicates an identity", async () => {
    const a = await organizations.ensureUser({ email: "ada@example.test", name: "Ada" });
    const b = await organizations.ensureUser({ email: "ADA@example.test", name: "Someone else" });
    expect(b.id).toBe(a.id);
    expect((await organizations.findUserByEmail("Ada@Example.TEST"))?.id).toBe(a.id);
  });

  it("gives no actor to someone who is not a member", async () => {
    const acme = await buildOrganization(t.db);
    const outsider = await organizations.ensureUser({ email: "outsider@example.test", name: "Out" });
    expect(await organizations.getActor(outsider.id, acme.organization.id)).toBeNull();
    expect(await organizations.getActor(acme.owner.id, acme.organization.id)).toEqual({
      userId: acme.owner.id,
      role: "owner",
    });
  });

  it("lets only owners make owners, and members cannot add anyone", async () => {
    const acme = await buildOrganization(t.db);
    const admin = await acme.addMember("admin");
    const member = await acme.addMember("member");
    const newcomer = await organizations.ensureUser({ email: "new@example.test", name: "New" });
    await expect(organizations.addMember(admin, newcomer.id, "owner")).rejects.toMatchObject({ code: "forbidden" });
    await expect(organizations.addMember(member, newcomer.id, "viewer")).rejects.toMatchObject({ code: "forbidden" });
    await organizations.addMember(admin, newcomer.id, "viewer");
    expect((await organizations.getActor(newcomer.id, acme.organization.id))?.role).toBe("viewer");
  });

  it("does not return rows from another tenant", async () => {
    const acme = await buildOrganization(t.db);
    const globex = await buildOrganization(t.db);
    const members = await organizations.listMembers(globex.ctx, { limit: 100 });
    expect(members.items.map((m) => m.user.id)).toEqual([globex.owner.id]);
    expect(await organizations.getActor(acme.owner.id, globex.organization.id)).toBeNull();
    expect((await organizations.listMyOrganizations(acme.owner.id)).map((o) => o.id)).toEqual([acme.organization.id]);
  });
});
