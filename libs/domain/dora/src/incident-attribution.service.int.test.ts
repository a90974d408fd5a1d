import { DoraMetricsQuerySchema } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDoraMetrics } from "./dora-metrics.service";
import { attributeIncident } from "./incident-attribution.service";

const at = (iso: string) => new Date(`2026-${iso}:00.000Z`);

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let nextExternalId = 800_000;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
});
afterAll(async () => {
  await t?.drop();
});

/** A project with a repository, two successful production deployments and one unattributed incident. */
async function seed(org: OrganizationFixture) {
  const project = await createProjectsService(t.db).create(org.ctx, { name: "Platform", description: "" });
  const organizationId = org.organization.id;
  const externalId = String(nextExternalId++);
  return t.db.withTenant(org.ctx, async (tx) => {
    const repository = await tx.repository.create({
      data: { organizationId, projectId: project.id, externalId, fullName: "acme/api" },
    });
    const deploy = (id: string, day: string) =>
      tx.deployment.create({
        data: {
          organizationId,
          repositoryId: repository.id,
          externalId: id,
          environment: "production",
          sha: `sha-${id}`,
          status: "success",
          createdAt: at(`${day}T09:00`),
          finishedAt: at(`${day}T10:00`),
        },
      });
    const first = await deploy("1", "03-02");
    const second = await deploy("2", "03-04");
    const incident = await tx.incident.create({
      data: {
        organizationId,
        externalId: `github:${externalId}:1`,
        title: "Checkout fails",
        openedAt: at("03-05T08:00"),
      },
    });
    return { projectId: project.id, first: first.id, second: second.id, incidentId: incident.id };
  });
}

const auditEntries = (org: OrganizationFixture, incidentId: string) =>
  t.db.withTenant(org.ctx, (tx) =>
    tx.auditLog.findMany({
      where: { action: "incident.attribution_changed", targetId: incidentId },
      orderBy: { createdAt: "asc" },
    }),
  );

const storedDeploymentId = async (org: OrganizationFixture, incidentId: string) =>
  (await t.db.withTenant(org.ctx, (tx) => tx.incident.findUniqueOrThrow({ where: { id: incidentId } }))).deploymentId;

describe("attributeIncident", () => {
  it("lets an admin blame an incident on a deployment, recording it in the audit log", async () => {
    const s = await seed(acme);
    const admin = await acme.addMember("admin");
    const dto = await attributeIncident(t.db, admin, s.incidentId, s.second);
    expect(dto).toMatchObject({ id: s.incidentId, title: "Checkout fails", deploymentId: s.second, resolvedAt: null });
    expect(await storedDeploymentId(acme, s.incidentId)).toBe(s.second);
    const [entry, ...more] = await auditEntries(acme, s.incidentId);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      actorType: "user",
      actorUserId: admin.actor.userId,
      targetType: "incident",
      metadata: { fromDeploymentId: null, toDeploymentId: s.second },
    });
  });

  it("changes the project's change failure rate accordingly", async () => {
    const s = await seed(acme);
    const query = DoraMetricsQuerySchema.parse({ from: "2026-03-01", to: "2026-03-15" });
    const rate = async () => (await readDoraMetrics(t.db, acme.ctx, s.projectId, query)).changeFailureRate;
    expect(await rate()).toMatchObject({ failed: 0, total: 2 });
    await attributeIncident(t.db, acme.ctx, s.incidentId, s.first);
    const report = await readDoraMetrics(t.db, acme.ctx, s.projectId, query);
    expect(report.changeFailureRate).toMatchObject({ failed: 1, total: 2 });
    expect(report.deployments.find((d) => d.id === s.first)?.failure).toEqual({
      rules: ["incident_attributed"],
      incidentIds: [s.incidentId],
    });
  });

  it("lets an owner clear an attribution, and records nothing when nothing changes", async () => {
    const s = await seed(acme);
    await attributeIncident(t.db, acme.ctx, s.incidentId, s.first);
    await attributeIncident(t.db, acme.ctx, s.incidentId, s.first);
    expect(await attributeIncident(t.db, acme.ctx, s.incidentId, null)).toMatchObject({ deploymentId: null });
    expect((await auditEntries(acme, s.incidentId)).map((e) => e.metadata)).toEqual([
      { fromDeploymentId: null, toDeploymentId: s.first },
      { fromDeploymentId: s.first, toDeploymentId: null },
    ]);
  });

  it("refuses members and viewers", async () => {
    const s = await seed(acme);
    for (const role of ["member", "viewer"] as const) {
      const ctx = await acme.addMember(role);
      await expect(attributeIncident(t.db, ctx, s.incidentId, s.first)).rejects.toMatchObject({ code: "forbidden" });
    }
    expect(await storedDeploymentId(acme, s.incidentId)).toBeNull();
    expect(await auditEntries(acme, s.incidentId)).toEqual([]);
  });

  it("refuses a read-only API token even for an admin", async () => {
    const s = await seed(acme);
    const admin = await acme.addMember("admin");
    const via = { kind: "api_token" as const, tokenId: "token", scopes: ["read" as const] };
    const viaToken = { ...admin, actor: { ...admin.actor, via } };
    await expect(attributeIncident(t.db, viaToken, s.incidentId, s.first)).rejects.toMatchObject({
      code: "forbidden",
    });
  });

  it("does not attribute an incident to another organization's deployment", async () => {
    const ours = await seed(acme);
    const theirs = await seed(globex);
    await expect(attributeIncident(t.db, acme.ctx, ours.incidentId, theirs.first)).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await storedDeploymentId(acme, ours.incidentId)).toBeNull();
  });

  it("does not find another organization's incident", async () => {
    const theirs = await seed(globex);
    const ours = await seed(acme);
    await expect(attributeIncident(t.db, acme.ctx, theirs.incidentId, ours.first)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(attributeIncident(t.db, acme.ctx, theirs.incidentId, null)).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await storedDeploymentId(globex, theirs.incidentId)).toBeNull();
    expect(await auditEntries(globex, theirs.incidentId)).toEqual([]);
  });

  it("answers not_found for a deployment that does not exist", async () => {
    const s = await seed(acme);
    await expect(
      attributeIncident(t.db, acme.ctx, s.incidentId, "00000000-0000-4000-8000-000000000000"),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});
