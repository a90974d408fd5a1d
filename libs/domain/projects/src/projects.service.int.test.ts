import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectsService } from "./projects.service";

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

describe("projects service", () => {
  it("derives a unique key from the name when none is given", async () => {
    const a = await projects.create(acme.ctx, { name: "Payments Platform", description: "" });
    const b = await projects.create(acme.ctx, { name: "Performance Plan", description: "" });
    expect(a.key).toBe("PP");
    expect(b.key).toBe("PP2");
  });

  it("answers conflict for a key already taken, and the same key is free in another organization", async () => {
    await projects.create(acme.ctx, { name: "Core", key: "CORE", description: "" });
    await expect(projects.create(acme.ctx, { name: "Core 2", key: "CORE", description: "" })).rejects.toMatchObject({ code: "conflict" });
    expect((await projects.create(globex.ctx, { name: "Core", key: "CORE", description: "" })).key).toBe("CORE");
  });

  it("lists by name, pages, and keeps archived projects apart", async () => {
    const org = await buildOrganization(t.db);
    for (const name of ["Delta", "Alpha", "Charlie", "Bravo"]) await projects.create(org.ctx, { name, description: "" });
    const first = await projects.list(org.ctx, { limit: 2, archived: false });
    const second = await projects.list(org.ctx, { limit: 2, archived: false, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((p) => p.name)).toEqual(["Alpha", "Bravo", "Charlie", "Delta"]);
    expect(second.nextCursor).toBeNull();
    await projects.update(org.ctx, first.items[0]!.id, { archived: true });
    expect((await projects.list(org.ctx, { limit: 10, archived: true })).items.map((p) => p.name)).toEqual(["Alpha"]);
  });

  it("rejects a cursor it did not issue", async () => {
    await expect(projects.list(acme.ctx, { limit: 2, archived: false, cursor: "bogus" })).rejects.toMatchObject({ code: "validation_failed" });
  });

  it("keeps deleting projects to admins", async () => {
    const member = await acme.addMember("member");
    const project = await projects.create(member, { name: "Mine", description: "" });
    await expect(projects.remove(member, project.id)).rejects.toMatchObject({ code: "forbidden" });
    await projects.remove(acme.ctx, project.id);
    await expect(projects.get(acme.ctx, project.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("does not return rows from another tenant", async () => {
    const secret = await projects.create(acme.ctx, { name: "Acme secret", description: "" });
    await expect(projects.get(globex.ctx, secret.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(projects.update(globex.ctx, secret.id, { name: "pwned" })).rejects.toMatchObject({ code: "not_found" });
    await expect(projects.remove(globex.ctx, secret.id)).rejects.toMatchObject({ code: "not_found" });
    const globexNames = (await projects.list(globex.ctx, { limit: 100, archived: false })).items.map((p) => p.name);
    expect(globexNames).not.toContain("Acme secret");
  });
});
