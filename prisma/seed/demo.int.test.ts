import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createOrganizationsService } from "@devflow/domain-organizations";
import { createProjectsService } from "@devflow/domain-projects";
import { afterAll, beforeAll, expect, it } from "vitest";
import { seedDemo } from "./demo";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

it("seeds a demo workspace with two users, a project and real design documents, once", async () => {
  expect((await seedDemo(t.db)).seeded).toBe(true);
  expect((await seedDemo(t.db)).seeded).toBe(false);

  const organizations = createOrganizationsService(t.db);
  const ada = await organizations.findUserByEmail("ada@demo.devflow.dev");
  const [demo] = (await organizations.listMyOrganizations(ada!.id)).filter((o) => o.slug === "demo-co");
  const ctx = { organizationId: demo!.id, actor: { userId: ada!.id, role: demo!.role }, requestId: "t" };
  expect((await organizations.listMembers(ctx, { limit: 10 })).items).toHaveLength(2);
  const [platform] = (await createProjectsService(t.db).list(ctx, { limit: 10, archived: false })).items.filter((p) => p.key === "PLAT");
  const docs = await createDocumentsService(t.db).list(ctx, platform!.id, { limit: 10, archived: false });
  expect(docs.items).toHaveLength(5);
  const full = await createDocumentsService(t.db).get(ctx, docs.items[0]!.id);
  expect(full.content.length).toBeGreaterThan(5_000);
});
