import type { RequestContext } from "@devflow/auth";
import { DoraMetricsQuerySchema, DoraMetricsSchema } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDoraMetrics } from "./dora-metrics.service";

// Acme's project "Platform" owns acme/api; its project "Website" owns acme/web. Both repositories
// deploy to production inside the window (2026-03-01 → 2026-03-15); only acme/api's history may
// count for Platform. Globex is another organization with a look-alike history of its own.

const H = 3_600_000;
const at = (iso: string) => new Date(`2026-${iso}:00.000Z`);
const query = DoraMetricsQuerySchema.parse({ from: "2026-03-01", to: "2026-03-15" });

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let nextExternalId = 700_000;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
});
afterAll(async () => {
  await t?.drop();
});

interface Seeded {
  projectId: string;
  repositoryExternalId: string;
  deployments: Record<string, string>;
}

/**
 * A project with one GitHub repository, seeded through the tenant context: a successful and a
 * failed production deployment, a pull request the first one shipped, an incident attributed to
 * it (resolved in 2 h) and an unattributed, still open one filed in the repository.
 */
async function seedProject(org: OrganizationFixture, name: string): Promise<Seeded> {
  const project = await createProjectsService(t.db).create(org.ctx, { name, description: "" });
  const externalId = String(nextExternalId++);
  const organizationId = org.organization.id;
  return t.db.withTenant(org.ctx, async (tx) => {
    const repository = await tx.repository.create({
      data: { organizationId, projectId: project.id, externalId, fullName: `${name.toLowerCase()}/app` },
    });
    const deploy = (id: string, fields: { status: "success" | "failure"; createdAt: Date; finishedAt: Date }) =>
      tx.deployment.create({
        data: {
          organizationId,
          repositoryId: repository.id,
          externalId: id,
          environment: "production",
          sha: `sha-${id}`,
          ref: "main",
          ...fields,
        },
      });
    const shipped = await deploy("1", {
      status: "success",
      createdAt: at("03-02T09:00"),
      finishedAt: at("03-02T10:00"),
    });
    const failed = await deploy("2", {
      status: "failure",
      createdAt: at("03-04T09:00"),
      finishedAt: at("03-04T09:10"),
    });
    await tx.pullRequest.create({
      data: {
        organizationId,
        repositoryId: repository.id,
        number: 1,
        title: "Faster search",
        body: "Co-authored-by: Claude <noreply@anthropic.com>",
        state: "merged",
        baseBranch: "main",
        openedAt: at("03-01T10:00"),
        mergedAt: at("03-02T08:00"),
        mergeCommitSha: "sha-1",
      },
    });
    await tx.incident.create({
      data: {
        organizationId,
        deploymentId: shipped.id,
        externalId: `github:${externalId}:7`,
        title: "Search is down",
        openedAt: at("03-03T10:00"),
        resolvedAt: at("03-03T12:00"),
      },
    });
    await tx.incident.create({
      data: { organizationId, externalId: `github:${externalId}:8`, title: "Slow pages", openedAt: at("03-05T10:00") },
    });
    return {
      projectId: project.id,
      repositoryExternalId: externalId,
      deployments: { shipped: shipped.id, failed: failed.id },
    };
  });
}

let platform: Seeded;
let website: Seeded;
let globexProject: Seeded;

beforeAll(async () => {
  platform = await seedProject(acme, "Platform");
  website = await seedProject(acme, "Website");
  globexProject = await seedProject(globex, "Globex");
});

const metrics = (ctx: RequestContext, projectId: string) => readDoraMetrics(t.db, ctx, projectId, query);

describe("readDoraMetrics", () => {
  it("computes a project's four metrics from its repositories' rows", async () => {
    const report = DoraMetricsSchema.parse(await metrics(acme.ctx, platform.projectId));
    expect(report).toMatchObject({
      projectId: platform.projectId,
      environment: "production",
      repositoryCount: 1,
      deploymentFrequency: { deployments: 1 },
      // Opened 03-01 10:00 → deployed 03-02 10:00.
      leadTime: { count: 1, medianMs: 24 * H, byAiAssistance: { ai_assisted: { count: 1 } } },
      // The failed deployment, and the successful one an incident is attributed to.
      changeFailureRate: { failed: 2, total: 2, rate: 1 },
      timeToRestore: { count: 1, medianMs: 2 * H, open: 1 },
    });
  });

  it("does not count deployments, pull requests or incidents of another project's repository", async () => {
    const report = await metrics(acme.ctx, platform.projectId);
    const websiteDeployments = Object.values(website.deployments);
    expect(report.deployments.map((d) => d.id).sort()).toEqual(Object.values(platform.deployments).sort());
    expect(report.deployments.some((d) => websiteDeployments.includes(d.id))).toBe(false);
    expect(report.pullRequests).toHaveLength(1);
    expect(report.incidents.map((i) => i.title).sort()).toEqual(["Search is down", "Slow pages"]);
    expect(
      report.incidents.every((i) => i.deploymentId === null || i.deploymentId === platform.deployments.shipped),
    ).toBe(true);
  });

  it("counts an incident filed in another project's repository for the project whose deployment it is attributed to", async () => {
    await t.db.withTenant(acme.ctx, (tx) =>
      tx.incident.create({
        data: {
          organizationId: acme.organization.id,
          deploymentId: platform.deployments.shipped,
          externalId: `github:${website.repositoryExternalId}:99`,
          title: "Website broke after the API deploy",
          openedAt: at("03-06T10:00"),
          resolvedAt: at("03-06T11:00"),
        },
      }),
    );
    const titles = async (projectId: string) => (await metrics(acme.ctx, projectId)).incidents.map((i) => i.title);
    expect(await titles(platform.projectId)).toContain("Website broke after the API deploy");
    expect(await titles(website.projectId)).not.toContain("Website broke after the API deploy");
  });

  it("lets every member read, viewers included", async () => {
    const viewer = await acme.addMember("viewer");
    expect((await metrics(viewer, platform.projectId)).deploymentFrequency.deployments).toBe(1);
  });

  it("answers not_found for a private project the reader is not on", async () => {
    const secret = await createProjectsService(t.db).create(acme.ctx, {
      name: "Secret",
      description: "",
      visibility: "private",
    });
    const member = await acme.addMember("member");
    await expect(metrics(member, secret.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("does not return another organization's project or its metrics", async () => {
    await expect(metrics(globex.ctx, platform.projectId)).rejects.toMatchObject({ code: "not_found" });
    await expect(metrics(acme.ctx, globexProject.projectId)).rejects.toMatchObject({ code: "not_found" });
    const own = await metrics(globex.ctx, globexProject.projectId);
    expect(own.deployments.map((d) => d.id).sort()).toEqual(Object.values(globexProject.deployments).sort());
  });

  it("reports an empty window for a project without repositories", async () => {
    const bare = await createProjectsService(t.db).create(acme.ctx, { name: "Bare", description: "" });
    expect(await metrics(acme.ctx, bare.id)).toMatchObject({
      repositoryCount: 0,
      deploymentFrequency: { deployments: 0 },
      changeFailureRate: { rate: null },
      deployments: [],
      incidents: [],
    });
  });
});
