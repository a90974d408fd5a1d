import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization } from "@devflow/testing";
import { afterAll } from "vitest";
import { createPostgresOpStore } from "./postgres-op-store";
import { describeOpStoreContract } from "./testing";

let t: TestDatabase | undefined;
afterAll(async () => {
  await t?.drop();
});

describeOpStoreContract("postgres", async () => {
  t = await createTestDatabase();
  const db = t.db;
  const acme = await buildOrganization(db, "Acme");
  const globex = await buildOrganization(db, "Globex");
  const project = await createProjectsService(db).create(acme.ctx, { name: "Docs", description: "" });
  const documents = createDocumentsService(db);
  return {
    store: createPostgresOpStore(db),
    otherOrganizationId: globex.organization.id,
    async createDocument(content) {
      const doc = await documents.create(acme.ctx, project.id, { title: "Doc", kind: "design_doc", content });
      return { organizationId: acme.organization.id, documentId: doc.id };
    },
  };
});
