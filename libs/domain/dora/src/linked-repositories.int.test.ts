import { DoraMetricsQuerySchema } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { linkRepository } from "@devflow/domain-integrations";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDoraMetrics } from "./dora-metrics.service";

// A repository the GitHub event processor stored feeds no project until an admin links it
// (linkRepository, in @devflow/domain-integrations); from then on its history is the project's.

let t: TestDatabase;
let acme: OrganizationFixture;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
});
afterAll(async () => {
  await t?.drop();
});

describe("a repository linked to a project", () => {
  it("brings its deployments into the project's DORA metrics, and takes them away when unlinked", async () => {
    const project = await createProjectsService(t.db).create(acme.ctx, {
      name: "Delivery",
      key: "DLV",
      description: "",
    });
    const organizationId = acme.organization.id;
    const finishedAt = new Date(Date.now() - 86_400_000);
    const repositoryId = await t.db.withTenant(acme.ctx, async (tx) => {
      const repository = await tx.repository.create({
        data: { organizationId, externalId: "950001", fullName: "acme/dora" },
      });
      await tx.deployment.create({
        data: {
          organizationId,
          repositoryId: repository.id,
          externalId: "1",
          environment: "production",
          sha: "sha-1",
          status: "success",
          createdAt: new Date(finishedAt.getTime() - 600_000),
          finishedAt,
        },
      });
      return repository.id;
    });
    const admin = await acme.addMember("admin");
    // The default window ends today, so yesterday's deployment is inside it.
    const metrics = () => readDoraMetrics(t.db, acme.ctx, project.id, DoraMetricsQuerySchema.parse({}));

    expect(await metrics()).toMatchObject({ repositoryCount: 0, deployments: [] });
    await linkRepository(t.db, admin, repositoryId, project.id);
    const report = await metrics();
    expect(report.repositoryCount).toBe(1);
    expect(report.deployments).toEqual([expect.objectContaining({ repository: "acme/dora", rule: "succeeded" })]);

    await linkRepository(t.db, admin, repositoryId, null);
    expect(await metrics()).toMatchObject({ repositoryCount: 0, deployments: [] });
  });
});
