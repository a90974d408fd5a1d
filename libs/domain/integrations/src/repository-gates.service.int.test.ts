import { randomUUID } from "node:crypto";
import type { RequestContext } from "@devflow/auth";
import type { QualityGateSettings } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluateGates, gateSettingsOf } from "./pr-analysis/quality-gates";
import { getQualityGates, setQualityGates } from "./repository-gates.service";

const DEFAULTS: QualityGateSettings = {
  maxRisk: 70,
  requireTestsWithSource: true,
  requireLinkedDoc: false,
  requireApprovedDoc: false,
};

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let admin: RequestContext;
let nextExternalId = 800_000;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  admin = await acme.addMember("admin");
});
afterAll(async () => {
  await t?.drop();
});

/** A repository as the GitHub event processor stores it, with `settings` as stored. */
function seedRepository(org: OrganizationFixture, fullName: string, settings: object = {}) {
  return t.db.withTenant(org.ctx, async (tx) => {
    const repository = await tx.repository.create({
      data: { organizationId: org.organization.id, externalId: String(nextExternalId++), fullName, settings },
    });
    return repository.id;
  });
}

const storedSettings = (org: OrganizationFixture, repositoryId: string) =>
  t.db.withTenant(org.ctx, async (tx) => {
    const row = await tx.repository.findUniqueOrThrow({ where: { id: repositoryId }, select: { settings: true } });
    return row.settings;
  });

const auditEntries = (org: OrganizationFixture, repositoryId: string) =>
  t.db.withTenant(org.ctx, (tx) =>
    tx.auditLog.findMany({
      where: { action: "repository.quality_gates_changed", targetId: repositoryId },
      orderBy: { createdAt: "asc" },
    }),
  );

const withToken = (ctx: RequestContext, scopes: ("read" | "write" | "admin")[]): RequestContext => ({
  ...ctx,
  actor: { ...ctx.actor, via: { kind: "api_token", tokenId: randomUUID(), scopes } },
});

describe("getQualityGates", () => {
  it("gives any member the defaults for a repository nobody configured", async () => {
    const repositoryId = await seedRepository(acme, "acme/untouched");
    const viewer = await acme.addMember("viewer");
    for (const ctx of [viewer, await acme.addMember("member"), withToken(admin, ["read"])]) {
      expect(await getQualityGates(t.db, ctx, repositoryId)).toEqual(DEFAULTS);
    }
  });

  it("fills in the defaults around the gates that are stored", async () => {
    const repositoryId = await seedRepository(acme, "acme/partial", { qualityGates: { requireLinkedDoc: true } });
    expect(await getQualityGates(t.db, admin, repositoryId)).toEqual({ ...DEFAULTS, requireLinkedDoc: true });
  });
});

describe("setQualityGates", () => {
  it("lets an admin set the gates and read them back, keeping the other settings and auditing once", async () => {
    const repositoryId = await seedRepository(acme, "acme/gated", { deployBranch: "release", labels: ["x"] });
    const gates = { maxRisk: 40, requireTestsWithSource: false, requireLinkedDoc: true, requireApprovedDoc: true };

    expect(await setQualityGates(t.db, admin, repositoryId, gates)).toEqual(gates);
    expect(await getQualityGates(t.db, admin, repositoryId)).toEqual(gates);
    expect(await storedSettings(acme, repositoryId)).toEqual({
      deployBranch: "release",
      labels: ["x"],
      qualityGates: gates,
    });
    // Saving the gates in force changes nothing and records nothing.
    await setQualityGates(t.db, admin, repositoryId, gates);

    const [entry, ...more] = await auditEntries(acme, repositoryId);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      actorType: "user",
      actorUserId: admin.actor.userId,
      targetType: "repository",
      metadata: { fullName: "acme/gated", old: DEFAULTS, new: gates },
    });
  });

  it("gives fields left out their defaults", async () => {
    const repositoryId = await seedRepository(acme, "acme/reset", { qualityGates: { requireLinkedDoc: true } });
    expect(await setQualityGates(t.db, admin, repositoryId, { maxRisk: 55 })).toEqual({ ...DEFAULTS, maxRisk: 55 });
    expect((await auditEntries(acme, repositoryId)).map((e) => e.metadata)).toEqual([
      {
        fullName: "acme/reset",
        old: { ...DEFAULTS, requireLinkedDoc: true },
        new: { ...DEFAULTS, maxRisk: 55 },
      },
    ]);
  });

  it("refuses invalid gates as validation_failed, changing nothing", async () => {
    const repositoryId = await seedRepository(acme, "acme/invalid", { qualityGates: { maxRisk: 20 } });
    for (const input of [
      { maxRisk: 101 },
      { maxRisk: -1 },
      { maxRisk: 12.5 },
      { maxRisk: "high" as unknown as number },
      { requireLinkedDoc: "yes" as unknown as boolean },
    ]) {
      await expect(setQualityGates(t.db, admin, repositoryId, input)).rejects.toMatchObject({
        code: "validation_failed",
        details: { issues: [expect.objectContaining({ path: Object.keys(input)[0] })] },
      });
    }
    expect(await storedSettings(acme, repositoryId)).toEqual({ qualityGates: { maxRisk: 20 } });
    expect(await auditEntries(acme, repositoryId)).toEqual([]);
  });

  it("rewrites stored gates that do not parse, though they read as the defaults", async () => {
    const repositoryId = await seedRepository(acme, "acme/garbled", { qualityGates: { maxRisk: "high" } });
    expect(await getQualityGates(t.db, admin, repositoryId)).toEqual(DEFAULTS);
    await setQualityGates(t.db, admin, repositoryId, DEFAULTS);
    expect(await storedSettings(acme, repositoryId)).toEqual({ qualityGates: DEFAULTS });
    // In force before and after: the defaults, so nothing to record.
    expect(await auditEntries(acme, repositoryId)).toEqual([]);
  });

  it("refuses members, viewers and tokens without the admin scope, changing nothing", async () => {
    const repositoryId = await seedRepository(acme, "acme/refused");
    const member = await acme.addMember("member");
    const viewer = await acme.addMember("viewer");
    for (const ctx of [member, viewer, withToken(admin, ["read"]), withToken(admin, ["read", "write"])]) {
      await expect(setQualityGates(t.db, ctx, repositoryId, { maxRisk: 5 })).rejects.toMatchObject({
        code: "forbidden",
      });
    }
    expect(await getQualityGates(t.db, admin, repositoryId)).toEqual(DEFAULTS);
    expect(await auditEntries(acme, repositoryId)).toEqual([]);

    // An admin's token with the admin scope may, and the audit log says a token did it.
    await setQualityGates(t.db, withToken(admin, ["admin"]), repositoryId, { maxRisk: 5 });
    expect(await auditEntries(acme, repositoryId)).toEqual([expect.objectContaining({ actorType: "api_token" })]);
  });

  it("does not find another organization's repository", async () => {
    const globexRepositoryId = await seedRepository(globex, "globex/secret", { qualityGates: { maxRisk: 90 } });
    await expect(getQualityGates(t.db, admin, globexRepositoryId)).rejects.toMatchObject({ code: "not_found" });
    await expect(setQualityGates(t.db, admin, globexRepositoryId, { maxRisk: 1 })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(getQualityGates(t.db, admin, randomUUID())).rejects.toMatchObject({ code: "not_found" });
    expect(await storedSettings(globex, globexRepositoryId)).toEqual({ qualityGates: { maxRisk: 90 } });
    expect(await auditEntries(globex, globexRepositoryId)).toEqual([]);
  });

  it("is what the pull-request analysis then holds the repository's pull requests to", async () => {
    const repositoryId = await seedRepository(acme, "acme/analysed");
    const facts = { risk: 50, sourceChanged: true, testsChanged: false, docs: [] };
    const outcomes = async () => {
      const { gates, invalid } = gateSettingsOf(await storedSettings(acme, repositoryId));
      expect(invalid).toBe(false);
      return evaluateGates(gates, facts).map((g) => [g.gate, g.outcome]);
    };
    expect(await outcomes()).toEqual([
      ["maxRisk", "passed"],
      ["requireTestsWithSource", "failed"],
      ["requireLinkedDoc", "skipped"],
      ["requireApprovedDoc", "skipped"],
    ]);

    await setQualityGates(t.db, admin, repositoryId, {
      maxRisk: 30,
      requireTestsWithSource: false,
      requireLinkedDoc: true,
      requireApprovedDoc: true,
    });
    expect(await outcomes()).toEqual([
      ["maxRisk", "failed"],
      ["requireTestsWithSource", "skipped"],
      ["requireLinkedDoc", "failed"],
      ["requireApprovedDoc", "neutral"],
    ]);
  });
});
