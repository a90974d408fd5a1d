import { randomUUID } from "node:crypto";
import type { RequestContext } from "@devflow/auth";
import { RepositoryPageSchema, RepositorySchema } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createProjectsService, type ProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkRepository, listRepositories } from "./repositories.service";

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let projects: ProjectsService;
let admin: RequestContext;
let nextExternalId = 900_000;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  projects = createProjectsService(t.db);
  admin = await acme.addMember("admin");
});
afterAll(async () => {
  await t?.drop();
});

/**
 * A repository as the GitHub event processor stores it, unlinked: an open and a merged pull request,
 * a production deployment yesterday (inside any DORA window ending today) and one 200 days ago.
 */
async function seedRepository(org: OrganizationFixture, fullName: string) {
  const organizationId = org.organization.id;
  return t.db.withTenant(org.ctx, async (tx) => {
    const repository = await tx.repository.create({
      data: { organizationId, externalId: String(nextExternalId++), fullName },
    });
    const pullRequest = (number: number, state: "open" | "merged") =>
      tx.pullRequest.create({
        data: {
          organizationId,
          repositoryId: repository.id,
          number,
          title: `PR ${number}`,
          state,
          openedAt: daysAgo(3),
        },
      });
    await pullRequest(1, "open");
    await pullRequest(2, "merged");
    const deploy = (externalId: string, finishedAt: Date) =>
      tx.deployment.create({
        data: {
          organizationId,
          repositoryId: repository.id,
          externalId,
          environment: "production",
          sha: `sha-${externalId}`,
          status: "success",
          createdAt: new Date(finishedAt.getTime() - 600_000),
          finishedAt,
        },
      });
    await deploy("recent", daysAgo(1));
    await deploy("old", daysAgo(200));
    return repository.id;
  });
}

// That a linked repository's deployments then count in its project's DORA metrics is tested in
// libs/domain/dora (linked-repositories.int.test.ts): dora depends on this lib, not the reverse.

const auditEntries = (repositoryId: string) =>
  t.db.withTenant(acme.ctx, (tx) =>
    tx.auditLog.findMany({
      where: { action: "repository.project_changed", targetId: repositoryId },
      orderBy: { createdAt: "asc" },
    }),
  );

const list = (ctx: RequestContext, query: { projectId?: string; cursor?: string; limit?: number } = {}) =>
  listRepositories(t.db, ctx, { limit: 25, ...query });

const withToken = (ctx: RequestContext, scopes: ("read" | "write" | "admin")[]): RequestContext => ({
  ...ctx,
  actor: { ...ctx.actor, via: { kind: "api_token", tokenId: randomUUID(), scopes } },
});

describe("linkRepository", () => {
  it("lets an admin link a repository to a project and unlink it, recording each change once", async () => {
    const repositoryId = await seedRepository(acme, "acme/link-unlink");
    const project = await projects.create(acme.ctx, { name: "Payments", key: "PAY", description: "" });

    const linked = await linkRepository(t.db, admin, repositoryId, project.id);
    expect(RepositorySchema.parse(linked)).toEqual({
      id: repositoryId,
      provider: "github",
      fullName: "acme/link-unlink",
      defaultBranch: "main",
      project: { id: project.id, key: "PAY", name: "Payments", isArchived: false },
      openPullRequestCount: 1,
      recentDeploymentCount: 1,
    });
    // Setting the project it already has changes nothing and records nothing.
    await linkRepository(t.db, admin, repositoryId, project.id);
    const [entry, ...more] = await auditEntries(repositoryId);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({
      actorType: "user",
      actorUserId: admin.actor.userId,
      targetType: "repository",
      metadata: { fullName: "acme/link-unlink", fromProjectId: null, toProjectId: project.id },
    });

    expect((await linkRepository(t.db, acme.ctx, repositoryId, null)).project).toBeNull();
    expect((await auditEntries(repositoryId)).map((e) => e.metadata)).toEqual([
      expect.anything(),
      { fullName: "acme/link-unlink", fromProjectId: project.id, toProjectId: null },
    ]);
    await linkRepository(t.db, acme.ctx, repositoryId, null);
    expect(await auditEntries(repositoryId)).toHaveLength(2);
  });

  it("refuses members, viewers and read-only tokens, changing nothing", async () => {
    const repositoryId = await seedRepository(acme, "acme/refused");
    const project = await projects.create(acme.ctx, { name: "Refused", key: "REF", description: "" });
    const member = await acme.addMember("member");
    const viewer = await acme.addMember("viewer");
    for (const ctx of [member, viewer, withToken(admin, ["read"]), withToken(admin, ["read", "write"])]) {
      await expect(linkRepository(t.db, ctx, repositoryId, project.id)).rejects.toMatchObject({ code: "forbidden" });
    }
    expect((await list(acme.ctx)).items.find((r) => r.id === repositoryId)?.project).toBeNull();
    expect(await auditEntries(repositoryId)).toEqual([]);

    // An admin's token with the admin scope may, and the audit log says a token did it.
    await linkRepository(t.db, withToken(admin, ["admin"]), repositoryId, project.id);
    expect(await auditEntries(repositoryId)).toEqual([expect.objectContaining({ actorType: "api_token" })]);
  });

  it("does not find another organization's project or repository", async () => {
    const repositoryId = await seedRepository(acme, "acme/isolated");
    const globexRepositoryId = await seedRepository(globex, "globex/secret");
    const globexProject = await projects.create(globex.ctx, { name: "Globex plans", key: "GLX", description: "" });
    const acmeProject = await projects.create(acme.ctx, { name: "Isolated", key: "ISO", description: "" });

    await expect(linkRepository(t.db, admin, repositoryId, globexProject.id)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(linkRepository(t.db, admin, repositoryId, randomUUID())).rejects.toMatchObject({ code: "not_found" });
    await expect(linkRepository(t.db, admin, globexRepositoryId, acmeProject.id)).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(linkRepository(t.db, admin, globexRepositoryId, null)).rejects.toMatchObject({ code: "not_found" });

    const globexRows = await t.db.withTenant(globex.ctx, (tx) =>
      tx.repository.findMany({ select: { id: true, projectId: true } }),
    );
    expect(globexRows).toEqual([{ id: globexRepositoryId, projectId: null }]);
    expect(await auditEntries(repositoryId)).toEqual([]);
  });

  it("refuses an archived project", async () => {
    const repositoryId = await seedRepository(acme, "acme/archived");
    const project = await projects.create(acme.ctx, { name: "Old site", key: "OLD", description: "" });
    await projects.update(acme.ctx, project.id, { archived: true });
    await expect(linkRepository(t.db, admin, repositoryId, project.id)).rejects.toMatchObject({
      code: "validation_failed",
      details: { issues: [{ path: "projectId" }] },
    });
    expect(await auditEntries(repositoryId)).toEqual([]);
  });
});

describe("listRepositories", () => {
  let org: OrganizationFixture;
  let shared: string;
  let secret: string;
  let member: RequestContext & { user: { id: string } };

  beforeAll(async () => {
    org = await buildOrganization(t.db, "Initech");
    const orgAdmin = await org.addMember("admin");
    member = await org.addMember("member");
    const open = await projects.create(org.ctx, { name: "Open project", key: "OPEN", description: "" });
    // Private, listing only its creator (the owner): the member may not see it.
    const hidden = await projects.create(org.ctx, {
      name: "Hidden project",
      key: "HID",
      description: "",
      visibility: "private",
    });
    shared = await seedRepository(org, "initech/api");
    secret = await seedRepository(org, "initech/secret");
    await seedRepository(org, "initech/unlinked");
    await linkRepository(t.db, orgAdmin, shared, open.id);
    await linkRepository(t.db, orgAdmin, secret, hidden.id);
  });

  it("shows every member the organization's repositories, by name, with their counts", async () => {
    const viewer = await org.addMember("viewer");
    for (const ctx of [viewer, withToken(org.ctx, ["read"])]) {
      const page = RepositoryPageSchema.parse(await list(ctx));
      expect(page.items.map((r) => [r.fullName, r.openPullRequestCount, r.recentDeploymentCount])).toEqual([
        ["initech/api", 1, 1],
        ["initech/secret", 1, 1],
        ["initech/unlinked", 1, 1],
      ]);
      expect(page.nextCursor).toBeNull();
    }
  });

  it("leaves out a private project the reader may not see, but shows it to admins", async () => {
    const asMember = await list(member);
    expect(asMember.items.map((r) => [r.fullName, r.project?.key ?? null])).toEqual([
      ["initech/api", "OPEN"],
      ["initech/secret", null],
      ["initech/unlinked", null],
    ]);
    const asOwner = await list(org.ctx);
    expect(asOwner.items.map((r) => r.project?.key ?? null)).toEqual(["OPEN", "HID", null]);
  });

  it("keeps to one project's repositories, and not_found for a project the reader may not see", async () => {
    const asOwner = await list(org.ctx);
    const hiddenId = asOwner.items[1]!.project!.id;
    const openId = asOwner.items[0]!.project!.id;
    expect((await list(member, { projectId: openId })).items.map((r) => r.id)).toEqual([shared]);
    expect((await list(org.ctx, { projectId: hiddenId })).items.map((r) => r.id)).toEqual([secret]);
    await expect(list(member, { projectId: hiddenId })).rejects.toMatchObject({ code: "not_found" });
  });

  it("pages by full name with an opaque cursor", async () => {
    const first = await list(org.ctx, { limit: 2 });
    expect(first.items.map((r) => r.fullName)).toEqual(["initech/api", "initech/secret"]);
    const second = await list(org.ctx, { limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((r) => r.fullName)).toEqual(["initech/unlinked"]);
    expect(second.nextCursor).toBeNull();
    await expect(list(org.ctx, { cursor: "bm90LWEtY3Vyc29y" })).rejects.toMatchObject({ code: "validation_failed" });
  });

  it("does not return rows from another tenant", async () => {
    const names = (await list(globex.ctx)).items.map((r) => r.fullName);
    expect(names.every((n) => n.startsWith("globex/"))).toBe(true);
    const initechNames = (await list(org.ctx)).items.map((r) => r.fullName);
    expect(initechNames.every((n) => n.startsWith("initech/"))).toBe(true);
  });
});
