import { randomUUID } from "node:crypto";
import { createOfflineEmbedder } from "@devflow/ai-rag";
import { TriageSuggestionSchema, type DomainEvent } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIssueTriageHandler } from "./issue-triage.handler";
import { triageIssue, triagePassage } from "./triage.service";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
const embedder = createOfflineEmbedder();
let nextNumber = 1;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
});
afterAll(async () => {
  await t?.drop();
});

async function repository(org: OrganizationFixture, fullName: string) {
  return t.db.withTenant(org.ctx, (tx) =>
    tx.repository.create({
      data: { organizationId: org.organization.id, externalId: randomUUID(), fullName },
      select: { id: true },
    }),
  );
}

async function issue(
  org: OrganizationFixture,
  repositoryId: string,
  title: string,
  body: string,
  labels: string[] = [],
) {
  const number = nextNumber++;
  return t.db.withTenant(org.ctx, (tx) =>
    tx.issue.create({
      data: {
        organizationId: org.organization.id,
        repositoryId,
        number,
        title,
        body,
        state: "open",
        labels,
        url: `https://github.example.test/issues/${number}`,
        openedAt: new Date(Date.now() - 60_000 * (100 - number)),
        sourceUpdatedAt: new Date(),
      },
      select: { id: true, number: true },
    }),
  );
}

const stored = (org: OrganizationFixture, issueId: string) =>
  t.db.withTenant(org.ctx, async (tx) => {
    const [row] = await tx.$queryRawUnsafe<{ triage: unknown; embedding_model: string | null; embedded: boolean }[]>(
      `SELECT triage, embedding_model, embedding IS NOT NULL AS embedded FROM issues WHERE id = $1::uuid`,
      issueId,
    );
    return row;
  });

describe("triage of an opened issue", () => {
  it("suggests priority, the repository's labels and component, and its likely duplicates, and stores them", async () => {
    const repo = await repository(acme, "acme/editor");
    const older = await issue(
      acme,
      repo.id,
      "Editor crashes when pasting a table",
      "Pasting a markdown table into the editor crashes the tab.",
      ["bug", "area: editor"],
    );
    const unrelated = await issue(acme, repo.id, "Add dark mode", "A dark theme for the sidebar, please.", [
      "enhancement",
    ]);
    const opened = await issue(
      acme,
      repo.id,
      "Pasting a table crashes the editor",
      "When I paste a table into the editor the tab crashes.",
    );
    // The same words in another organization's repository: never offered to Acme.
    const foreignRepo = await repository(globex, "globex/editor");
    const foreign = await issue(
      globex,
      foreignRepo.id,
      "Pasting a table crashes the editor",
      "When I paste a table into the editor the tab crashes.",
    );

    const triage = await triageIssue(t.db, { organizationId: acme.organization.id }, opened.id, { embedder });
    expect(TriageSuggestionSchema.parse(triage)).toEqual(triage);
    expect(triage!.priority).toEqual({ value: "P1", because: ["crashes"] });
    expect(triage!.labels).toEqual([{ value: "bug", because: ["crashes"] }]);
    expect(triage!.component).toEqual({ value: "area: editor", because: ["editor"] });
    const duplicateIds = triage!.duplicates.map((d) => d.issueId);
    expect(duplicateIds).toEqual([older.id]);
    expect(duplicateIds).not.toContain(unrelated.id);
    expect(duplicateIds).not.toContain(foreign.id);
    expect(triage!.duplicates[0]).toMatchObject({ repositoryFullName: "acme/editor", number: older.number });
    expect(triage!.duplicates[0]!.similarity).toBeGreaterThan(0.45);

    const row = await stored(acme, opened.id);
    expect(row).toMatchObject({ triage: JSON.parse(JSON.stringify(triage)), embedding_model: embedder.model });
    // The repository's earlier issues were embedded on the way, so they could be found.
    expect(await stored(acme, unrelated.id)).toMatchObject({ embedded: true });
    expect(await stored(globex, foreign.id)).toMatchObject({ embedded: false });
  });

  it("is idempotent through its handler, and does nothing for an issue deleted since", async () => {
    const repo = await repository(acme, "acme/api");
    const opened = await issue(acme, repo.id, "API returns 500 on empty body", "The create endpoint fails.");
    const handler = createIssueTriageHandler(t.db, { embedder });
    const event: DomainEvent<"issue.opened"> = {
      id: randomUUID(),
      type: "issue.opened",
      version: 1,
      organizationId: acme.organization.id,
      occurredAt: new Date().toISOString(),
      data: { issueId: opened.id, repositoryId: repo.id },
    };
    await handler.handle(event);
    await handler.handle(event);
    expect((await stored(acme, opened.id))!.triage).toMatchObject({ priority: { value: "P2", because: ["fails"] } });

    // Globex's context cannot triage (or even see) Acme's issue.
    expect(await triageIssue(t.db, { organizationId: globex.organization.id }, opened.id, { embedder })).toBeNull();
    await handler.handle({ ...event, id: randomUUID(), data: { issueId: randomUUID(), repositoryId: repo.id } });
  });
});

describe("triage of a passage", () => {
  it("finds the issues that already say it, in the organization's repositories only", async () => {
    const repo = await repository(acme, "acme/search");
    const existing = await issue(acme, repo.id, "Search index misses renamed documents", "Renaming a doc drops it.");
    const member = await acme.addMember("member");
    const triage = await triagePassage(
      t.db,
      member,
      { text: "Renamed documents are missing from the search index", repositoryId: repo.id },
      { embedder },
    );
    expect(triage.duplicates.map((d) => d.issueId)).toEqual([existing.id]);

    const foreignRepo = await repository(globex, "globex/search");
    await expect(
      triagePassage(t.db, member, { text: "anything", repositoryId: foreignRepo.id }, { embedder }),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});
