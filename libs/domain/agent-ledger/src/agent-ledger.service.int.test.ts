import type { RequestContext } from "@devflow/auth";
import {
  LEDGER_REDACTED,
  LEDGER_TRUNCATED_KEY,
  ListAgentExecutionsQuerySchema,
  type AgentExecutionSummaryDto,
} from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgentLedgerService, type AgentExecutionEntry } from "./agent-ledger.service";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let ledger: ReturnType<typeof createAgentLedgerService>;
let projects: ReturnType<typeof createProjectsService>;
let documents: ReturnType<typeof createDocumentsService>;

beforeAll(async () => {
  t = await createTestDatabase();
  ledger = createAgentLedgerService(t.db);
  projects = createProjectsService(t.db);
  documents = createDocumentsService(t.db);
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
});
afterAll(async () => {
  await t?.drop();
});

const run = (overrides: Partial<AgentExecutionEntry> = {}): AgentExecutionEntry => ({
  agent: "Claude Code",
  tool: "search_docs",
  input: { query: "retry policy" },
  output: { results: 2 },
  sources: [],
  status: "succeeded",
  durationMs: 120,
  startedAt: new Date("2026-11-23T10:00:00.000Z"),
  ...overrides,
});

const query = (fields: Record<string, unknown> = {}) => ListAgentExecutionsQuerySchema.parse(fields);

async function readAll(ctx: RequestContext, fields: Record<string, unknown> = {}): Promise<AgentExecutionSummaryDto[]> {
  const items: AgentExecutionSummaryDto[] = [];
  let cursor: string | undefined;
  do {
    const page = await ledger.list(ctx, query({ ...fields, ...(cursor && { cursor }) }));
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

describe("recording runs", () => {
  it("stores a run with secrets redacted, sizes bounded and the token it came through", async () => {
    const org = await buildOrganization(t.db);
    const project = await projects.create(org.ctx, { name: "Platform", description: "" });
    const tokenId = randomUUID();
    const viaToken: RequestContext = {
      ...org.ctx,
      actor: { ...org.ctx.actor, via: { kind: "api_token", tokenId, scopes: ["write"] } },
    };
    const documentId = randomUUID();
    const { id } = await ledger.record(
      viaToken,
      run({
        tool: "edit_doc",
        projectId: project.id,
        input: { documentId, apiKey: "sk-live-123", nested: { password: "hunter2" }, text: "Bearer abcdefgh12345678" },
        output: { text: "x".repeat(40_000) },
        sources: [{ documentId, title: "  Retry policy  ", version: 7, start: 10, end: 42 }],
        diff: `--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n${"+more\n".repeat(20_000)}`,
        status: "failed",
        error: "conflict: the document moved on",
        durationMs: 250,
        startedAt: new Date("2026-11-23T10:00:00.000Z"),
      }),
    );
    const stored = await ledger.get(org.ctx, id);
    expect(stored).toMatchObject({
      id,
      agent: "Claude Code",
      tool: "edit_doc",
      status: "failed",
      error: "conflict: the document moved on",
      durationMs: 250,
      startedAt: "2026-11-23T10:00:00.000Z",
      finishedAt: "2026-11-23T10:00:00.250Z",
      user: { id: org.owner.id, name: "Owner" },
      project: { id: project.id, name: "Platform" },
      apiToken: { id: tokenId, name: null },
      input: {
        documentId,
        apiKey: LEDGER_REDACTED,
        nested: { password: LEDGER_REDACTED },
        text: LEDGER_REDACTED,
      },
      sources: [{ documentId, title: "Retry policy", version: 7, start: 10, end: 42 }],
      hiddenSourceCount: 0,
    });
    expect(JSON.stringify(stored)).not.toMatch(/sk-live-123|hunter2|abcdefgh12345678/);
    expect(stored.output).toMatchObject({ [LEDGER_TRUNCATED_KEY]: true, originalBytes: 40_011 });
    expect(Buffer.byteLength(JSON.stringify(stored.output))).toBeLessThanOrEqual(16 * 1024);
    expect(Buffer.byteLength(stored.diff!)).toBeLessThanOrEqual(64 * 1024);
    expect(stored.diff).toMatch(/\\ diff truncated: \d+ bytes, the first 65536 kept$/);
    expect(stored.diffStats!.removed).toBe(1);
  });

  it("refuses a malformed entry with validation_failed", async () => {
    await expect(
      ledger.record(acme.ctx, run({ sources: [{ documentId: "nope", title: "x", version: 1 }] })),
    ).rejects.toMatchObject({ code: "validation_failed", message: expect.stringContaining("sources.0.documentId") });
    await expect(ledger.record(acme.ctx, run({ durationMs: -5 }))).rejects.toMatchObject({
      code: "validation_failed",
    });
    await expect(ledger.record(acme.ctx, run({ tool: "" }))).rejects.toMatchObject({ code: "validation_failed" });
  });
});

describe("listing runs", () => {
  it("lists newest first and pages through every run once", async () => {
    const org = await buildOrganization(t.db);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await ledger.record(org.ctx, run({ tool: `tool_${i}` }))).id);
    const pages: AgentExecutionSummaryDto[][] = [];
    let cursor: string | undefined;
    do {
      const page = await ledger.list(org.ctx, query({ limit: 2, ...(cursor && { cursor }) }));
      pages.push(page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    const items = pages.flat();
    expect(new Set(items.map((i) => i.id))).toEqual(new Set(ids));
    const times = items.map((i) => i.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(items[0]).toMatchObject({ inputPreview: '{"query":"retry policy"}', diffStats: null });
    expect(items[0]).not.toHaveProperty("input");
  });

  it("filters by agent, tool, outcome, project and person", async () => {
    const org = await buildOrganization(t.db);
    const member = await org.addMember("member");
    const project = await projects.create(org.ctx, { name: "Web", description: "" });
    await ledger.record(org.ctx, run({ agent: "ChatGPT", tool: "read_doc" }));
    await ledger.record(
      org.ctx,
      run({ agent: "Claude Code", tool: "edit_doc", status: "failed", projectId: project.id }),
    );
    await ledger.record(member, run({ agent: "Claude Code", tool: "read_doc" }));
    const tools = async (fields: Record<string, unknown>) =>
      (await readAll(org.ctx, fields)).map((r) => `${r.agent}/${r.tool}`).sort();
    expect(await tools({ agent: "ChatGPT" })).toEqual(["ChatGPT/read_doc"]);
    expect(await tools({ tool: "read_doc" })).toEqual(["ChatGPT/read_doc", "Claude Code/read_doc"]);
    expect(await tools({ status: "failed" })).toEqual(["Claude Code/edit_doc"]);
    expect(await tools({ projectId: project.id })).toEqual(["Claude Code/edit_doc"]);
    expect(await tools({ userId: member.actor.userId })).toEqual(["Claude Code/read_doc"]);
  });

  it("rejects a cursor it did not issue, and answers not_found for an id that is not one", async () => {
    await expect(ledger.list(acme.ctx, query({ cursor: "bogus" }))).rejects.toMatchObject({
      code: "validation_failed",
    });
    await expect(ledger.get(acme.ctx, "not-a-uuid")).rejects.toMatchObject({ code: "not_found" });
    await expect(ledger.get(acme.ctx, randomUUID())).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("who sees which runs", () => {
  it("keeps private projects' runs from members who are not on them, and hides sources they cannot open", async () => {
    const org = await buildOrganization(t.db);
    const ada = await org.addMember("member", "Ada");
    const grace = await org.addMember("member", "Grace");
    const open = await projects.create(org.ctx, { name: "Open", description: "" });
    const secret = await projects.create(org.ctx, { name: "Secret", description: "", visibility: "private" });
    const content = "# Notes\n\nSome text.\n";
    const openDoc = await documents.create(org.ctx, open.id, { title: "Open doc", kind: "design_doc", content });
    const secretDoc = await documents.create(org.ctx, secret.id, { title: "Secret doc", kind: "design_doc", content });
    const sources = [
      { documentId: openDoc.id, title: "Open doc", version: 1, start: 0, end: 7 },
      { documentId: secretDoc.id, title: "Secret doc", version: 1, start: 0, end: 7 },
    ];
    const adaSearch = await ledger.record(ada, run({ tool: "ada-search", sources }));
    await ledger.record(grace, run({ tool: "grace-own" }));
    await ledger.record(grace, run({ tool: "grace-in-open", projectId: open.id }));
    const ownerSecret = await ledger.record(org.ctx, run({ tool: "owner-in-secret", projectId: secret.id }));

    const tools = async (ctx: RequestContext) => (await readAll(ctx)).map((r) => r.tool).sort();
    expect(await tools(ada)).toEqual(["ada-search", "grace-in-open"]);
    expect(await tools(org.ctx)).toEqual(["ada-search", "grace-in-open", "grace-own", "owner-in-secret"]);

    const asAda = await ledger.get(ada, adaSearch.id);
    expect(asAda.sources.map((s) => s.title)).toEqual(["Open doc"]);
    expect(asAda.hiddenSourceCount).toBe(1);
    const asOwner = await ledger.get(org.ctx, adaSearch.id);
    expect(asOwner.sources.map((s) => s.title)).toEqual(["Open doc", "Secret doc"]);

    await expect(ledger.get(ada, ownerSecret.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(ledger.list(ada, query({ projectId: secret.id }))).rejects.toMatchObject({ code: "not_found" });
  });

  it("refuses SCIM", async () => {
    const scim = { ...acme.ctx, actor: { ...acme.ctx.actor, via: { kind: "scim" as const } } };
    await expect(ledger.list(scim, query())).rejects.toMatchObject({ code: "forbidden" });
  });

  it("does not return rows from another tenant", async () => {
    const { id } = await ledger.record(acme.ctx, run({ tool: "acme-secret" }));
    expect((await readAll(globex.ctx)).map((r) => r.tool)).not.toContain("acme-secret");
    await expect(ledger.get(globex.ctx, id)).rejects.toMatchObject({ code: "not_found" });
    const globexAdmin = await globex.addMember("admin");
    await expect(ledger.get(globexAdmin, id)).rejects.toMatchObject({ code: "not_found" });
  });
});
