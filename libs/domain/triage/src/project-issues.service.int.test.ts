import type { RequestContext } from "@devflow/auth";
import {
  ListProjectIssuesQuerySchema,
  ProjectIssuePageSchema,
  type ListProjectIssuesQuery,
  type TriageSuggestionDto,
} from "@devflow/contracts";
import type { Tx } from "@devflow/db";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listProjectIssues } from "./project-issues.service";

// Acme's "Platform" links acme/api and acme/cli; "Website" links acme/web, whose issue must never
// show on Platform's page. "Secret" is private to its owner: the design doc in it is linked from a
// Platform issue, and a member must not learn its title. Globex is another organization.

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let member: RequestContext;
let platformId: string;
let secretId: string;
let publicDocId: string;
let secretDocId: string;
let nextExternalId = 900_000;

const triage: TriageSuggestionDto = {
  priority: { value: "P1", because: ["crashes"] },
  labels: [{ value: "bug", because: ["crashes"] }],
  component: { value: "area: checkout", because: ["checkout"] },
  duplicates: [
    {
      issueId: "00000000-0000-4000-8000-000000000001",
      repositoryFullName: "acme/api",
      number: 1,
      title: "Checkout fails",
      state: "open",
      url: "https://github.example.test/acme/api/issues/1",
      similarity: 0.91,
    },
  ],
  embeddingModel: "lexical",
  semantic: false,
  triagedAt: "2026-03-20T10:00:00.000Z",
};

async function createRepository(tx: Tx, projectId: string, fullName: string) {
  return tx.repository.create({
    data: { organizationId: acme.organization.id, projectId, externalId: String(nextExternalId++), fullName },
    select: { id: true },
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  member = await acme.addMember("member");
  const projects = createProjectsService(t.db);
  platformId = (await projects.create(acme.ctx, { name: "Platform", description: "" })).id;
  const websiteId = (await projects.create(acme.ctx, { name: "Website", description: "" })).id;
  secretId = (await projects.create(acme.ctx, { name: "Secret", description: "" })).id;
  await projects.setAccess(acme.ctx, secretId, { visibility: "private", userIds: [], groupIds: [] });
  const organizationId = acme.organization.id;

  await t.db.withTenant(acme.ctx, async (tx) => {
    const api = await createRepository(tx, platformId, "acme/api");
    const cli = await createRepository(tx, platformId, "acme/cli");
    const web = await createRepository(tx, websiteId, "acme/web");
    await createRepository(tx, secretId, "acme/secret");
    publicDocId = (
      await tx.document.create({ data: { organizationId, projectId: platformId, title: "Checkout redesign" } })
    ).id;
    secretDocId = (await tx.document.create({ data: { organizationId, projectId: secretId, title: "Secret plan" } }))
      .id;
    const issue = (
      repositoryId: string,
      number: number,
      day: number,
      fields: { state?: string; triage?: object; linkedDocumentIds?: string[]; milestone?: string } = {},
    ) =>
      tx.issue.create({
        data: {
          organizationId,
          repositoryId,
          number,
          title: `Issue ${number}`,
          state: fields.state ?? "open",
          labels: ["BUG"],
          url: `https://github.example.test/issues/${number}`,
          openedAt: new Date(`2026-03-${String(day).padStart(2, "0")}T10:00:00.000Z`),
          sourceUpdatedAt: new Date(),
          linkedDocumentIds: fields.linkedDocumentIds ?? [],
          milestone: fields.milestone ?? null,
          ...(fields.triage && { triage: fields.triage }),
        },
      });
    await issue(api.id, 1, 1);
    await issue(api.id, 2, 2, { state: "closed" });
    await issue(api.id, 3, 5, { triage, linkedDocumentIds: [publicDocId, secretDocId], milestone: "v1.0" });
    // Stored by an older triage, in a shape the contract no longer reads.
    await issue(api.id, 4, 4, { triage: { priority: "urgent" } });
    await issue(cli.id, 7, 3);
    await issue(web.id, 9, 6);
  });
});
afterAll(async () => {
  await t?.drop();
});

const query = (input: Record<string, unknown> = {}): ListProjectIssuesQuery =>
  ListProjectIssuesQuerySchema.parse(input);
const list = async (ctx: RequestContext, input: Record<string, unknown> = {}, projectId = platformId) =>
  ProjectIssuePageSchema.parse(await listProjectIssues(t.db, ctx, projectId, query(input)));
const names = (page: { items: { repositoryFullName: string; number: number }[] }) =>
  page.items.map((i) => `${i.repositoryFullName}#${i.number}`);

describe("a project's issues", () => {
  it("lists the open issues of the project's linked repositories only, newest opened first", async () => {
    const page = await list(member);
    expect(names(page)).toEqual(["acme/api#3", "acme/api#4", "acme/cli#7", "acme/api#1"]);
    expect(names(page)).not.toContain("acme/web#9");
    expect(page.nextCursor).toBeNull();
    expect(page.items[0]).toMatchObject({
      title: "Issue 3",
      state: "open",
      labels: ["BUG"],
      url: "https://github.example.test/issues/3",
      milestone: "v1.0",
      openedAt: "2026-03-05T10:00:00.000Z",
    });
  });

  it("filters by state: closed ones, or all", async () => {
    expect(names(await list(member, { state: "closed" }))).toEqual(["acme/api#2"]);
    expect(names(await list(member, { state: "all" }))).toEqual([
      "acme/api#3",
      "acme/api#4",
      "acme/cli#7",
      "acme/api#2",
      "acme/api#1",
    ]);
  });

  it("pages through every issue once by cursor, and refuses a cursor it did not issue", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 5; pages++) {
      const page = await list(member, { state: "all", limit: 2, ...(cursor && { cursor }) });
      seen.push(...names(page));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(["acme/api#3", "acme/api#4", "acme/cli#7", "acme/api#2", "acme/api#1"]);
    await expect(list(member, { cursor: "bm90LWEtY3Vyc29y" })).rejects.toMatchObject({ code: "validation_failed" });
  });

  it("parses the stored triage, and gives none for a triage in a shape it does not read", async () => {
    const [newest, older] = (await list(member)).items;
    expect(newest!.triage).toEqual(triage);
    expect(older!.triage).toBeNull();
  });

  it("names only the linked docs the reader may see", async () => {
    const [forMember] = (await list(member)).items;
    expect(forMember!.documents).toEqual([{ id: publicDocId, title: "Checkout redesign" }]);
    expect(JSON.stringify(forMember)).not.toContain("Secret plan");
    const [forOwner] = (await list(acme.ctx)).items;
    expect(forOwner!.documents).toEqual([
      { id: publicDocId, title: "Checkout redesign" },
      { id: secretDocId, title: "Secret plan" },
    ]);
  });

  it("is not found for another organization, nor for a member hidden from a private project", async () => {
    await expect(list(globex.ctx)).rejects.toMatchObject({ code: "not_found" });
    await expect(list(member, {}, secretId)).rejects.toMatchObject({ code: "not_found" });
    expect(names(await list(acme.ctx, {}, secretId))).toEqual([]);
  });
});
