import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll } from "vitest";

/** What socket tests of one document feature work on; filled in by the suite's beforeAll. */
export interface CollabWorkspace {
  t: TestDatabase;
  /** The organization under test: its owner, a member, a viewer and an open project. */
  acme: OrganizationFixture;
  /** Another organization, for attempts across tenants. */
  globex: OrganizationFixture;
  member: { userId: string };
  viewer: { userId: string };
  projectId: string;
}

/**
 * Registers the suite's set-up and clean-up: a test database with Acme (owner, member "Mia",
 * viewer "Vic", project "Design") and Globex. Read the fields inside tests, not at module level.
 */
export function useCollabWorkspace(): CollabWorkspace {
  const w = {} as CollabWorkspace;
  beforeAll(async () => {
    w.t = await createTestDatabase();
    w.acme = await buildOrganization(w.t.db, "Acme");
    w.globex = await buildOrganization(w.t.db, "Globex");
    w.member = { userId: (await w.acme.addMember("member", "Mia")).user.id };
    w.viewer = { userId: (await w.acme.addMember("viewer", "Vic")).user.id };
    w.projectId = (await createProjectsService(w.t.db).create(w.acme.ctx, { name: "Design", description: "" })).id;
  });
  afterAll(async () => {
    await w.t?.drop();
  });
  return w;
}
