import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization } from "@devflow/testing";
import { afterAll, expect, it } from "vitest";
import { createPostgresOpStore, type PostgresOpStoreOptions } from "./postgres-op-store";
import { describeOpStoreContract, type OpStoreFixture } from "./testing";

let t: TestDatabase | undefined;
afterAll(async () => {
  await t?.drop();
});

async function fixture(options: PostgresOpStoreOptions): Promise<OpStoreFixture> {
  t ??= await createTestDatabase();
  const db = t.db;
  const acme = await buildOrganization(db, "Acme");
  const globex = await buildOrganization(db, "Globex");
  const project = await createProjectsService(db).create(acme.ctx, { name: "Docs", description: "" });
  const documents = createDocumentsService(db);
  return {
    store: createPostgresOpStore(db, options),
    otherOrganizationId: globex.organization.id,
    async createDocument(content) {
      const doc = await documents.create(acme.ctx, project.id, { title: "Doc", kind: "design_doc", content });
      return { organizationId: acme.organization.id, documentId: doc.id };
    },
  };
}

describeOpStoreContract("postgres", () => fixture({}));
// One transaction at a time: commits arriving together queue and share a statement.
describeOpStoreContract("postgres, batches of many documents grouped", () =>
  fixture({ maxConcurrentCommits: 1, maxConcurrentLookups: 1 }),
);

it("skips a background snapshot of a document deleted meanwhile, instead of failing", async () => {
  t ??= await createTestDatabase();
  const acme = await buildOrganization(t.db, "Initech");
  const project = await createProjectsService(t.db).create(acme.ctx, { name: "Docs", description: "" });
  const documents = createDocumentsService(t.db);
  const doc = await documents.create(acme.ctx, project.id, { title: "Gone", kind: "design_doc", content: "x" });
  await documents.remove(acme.ctx, doc.id);
  const store = createPostgresOpStore(t.db, {});
  await expect(
    store.writeSnapshot({ organizationId: acme.organization.id, documentId: doc.id }, { version: 3, content: "xyz" }),
  ).resolves.toBeUndefined();
});
