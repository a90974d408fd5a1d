import type { RequestContext } from "@devflow/auth";
import {
  AiActivitySummaryQuerySchema,
  ListAiActivityQuerySchema,
  type AiActivityDto,
  type AiSurface,
} from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAiActivityService } from "./ai-activity.service";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let activity: ReturnType<typeof createAiActivityService>;
let projects: ReturnType<typeof createProjectsService>;

beforeAll(async () => {
  t = await createTestDatabase();
  activity = createAiActivityService(t.db);
  projects = createProjectsService(t.db);
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
});
afterAll(async () => {
  await t?.drop();
});

interface Seed {
  at: string;
  userId?: string | null;
  projectId?: string | null;
  surface?: AiSurface;
  tool?: string | null;
  provider?: string;
  model?: string;
  inputTokens?: number;
  outputTokens?: number;
  latencyMs?: number;
  costUsd?: string;
  status?: string;
}

/** Writes calls at fixed times (in 2020, before anything `record` writes) so every answer is known. */
async function seed(ctx: RequestContext, rows: Seed[]): Promise<void> {
  await t.db.withTenant(ctx, async (tx) => {
    for (const r of rows) {
      await tx.aiActivity.create({
        data: {
          organizationId: ctx.organizationId,
          userId: r.userId === undefined ? ctx.actor.userId : r.userId,
          projectId: r.projectId ?? null,
          surface: r.surface ?? "assistant",
          tool: r.tool ?? null,
          provider: r.provider ?? "openai",
          model: r.model ?? "gpt-4.1-mini",
          inputTokens: r.inputTokens ?? 100,
          outputTokens: r.outputTokens ?? 10,
          latencyMs: r.latencyMs ?? 500,
          costUsd: r.costUsd ?? "0.001",
          status: r.status ?? "ok",
          createdAt: new Date(r.at),
        },
      });
    }
  });
}

const listQuery = (fields: Record<string, unknown> = {}) => ListAiActivityQuerySchema.parse(fields);
const in2020 = { from: "2020-01-01", to: "2021-01-01" };

async function readAll(ctx: RequestContext, fields: Record<string, unknown> = {}): Promise<AiActivityDto[]> {
  const items: AiActivityDto[] = [];
  let cursor: string | undefined;
  do {
    const page = await activity.list(ctx, listQuery({ ...fields, ...(cursor && { cursor }) }));
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

describe("recording AI calls", () => {
  it("records a call as the context's actor and lists it with the person and project named", async () => {
    const org = await buildOrganization(t.db);
    const member = await org.addMember("member", "Grace Hopper");
    const project = await projects.create(org.ctx, { name: "Compilers", description: "" });
    await activity.record(member, {
      surface: "mcp",
      tool: "search_docs",
      projectId: project.id,
      provider: "anthropic",
      model: "claude-sonnet-4",
      inputTokens: 1234,
      outputTokens: 56,
      latencyMs: 789,
      costUsd: 0.0123456,
      status: "error",
      errorCode: "rate_limited",
    });
    const [call] = (await activity.list(org.ctx, listQuery())).items;
    expect(call).toMatchObject({
      surface: "mcp",
      tool: "search_docs",
      provider: "anthropic",
      model: "claude-sonnet-4",
      inputTokens: 1234,
      outputTokens: 56,
      latencyMs: 789,
      costUsd: 0.012346,
      status: "error",
      errorCode: "rate_limited",
      user: { id: member.actor.userId, name: "Grace Hopper", email: member.user.email },
      project: { id: project.id, name: "Compilers" },
    });
  });

  it("refuses a malformed entry with validation_failed, naming the field", async () => {
    const entry = {
      surface: "assistant" as const,
      provider: "openai",
      model: "gpt-4.1",
      inputTokens: -1,
      outputTokens: 0,
      latencyMs: 10,
      costUsd: 0,
      status: "ok" as const,
    };
    await expect(activity.record(acme.ctx, entry)).rejects.toMatchObject({
      code: "validation_failed",
      message: expect.stringContaining("inputTokens"),
    });
    await expect(activity.record(acme.ctx, { ...entry, inputTokens: 1, model: "m".repeat(201) })).rejects.toMatchObject(
      { code: "validation_failed" },
    );
    await expect(activity.record(acme.ctx, { ...entry, inputTokens: 1, costUsd: Number.NaN })).rejects.toMatchObject({
      code: "validation_failed",
    });
  });
});

describe("listing AI calls", () => {
  it("lists newest first and pages through calls that share a timestamp without gaps or repeats", async () => {
    const org = await buildOrganization(t.db);
    const at = [
      "2020-03-01T10:00:00.000Z",
      "2020-03-01T10:00:00.000Z",
      "2020-03-01T10:00:00.000Z",
      "2020-03-02T10:00:00.000Z",
      "2020-02-01T00:00:00.000Z",
    ];
    await seed(
      org.ctx,
      at.map((time, i) => ({ at: time, latencyMs: i })),
    );
    const pages: AiActivityDto[][] = [];
    let cursor: string | undefined;
    do {
      const page = await activity.list(org.ctx, listQuery({ ...in2020, limit: 2, ...(cursor && { cursor }) }));
      pages.push(page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    const items = pages.flat();
    expect(new Set(items.map((i) => i.id)).size).toBe(5);
    expect(items.map((i) => i.createdAt)).toEqual([...at].sort().reverse());
  });

  it("filters by project, surface, model, status, person and time (from inclusive, to exclusive)", async () => {
    const org = await buildOrganization(t.db);
    const member = await org.addMember("member");
    const project = await projects.create(org.ctx, { name: "Web", description: "" });
    await seed(org.ctx, [
      { at: "2020-05-01T00:00:00.000Z", surface: "assistant", model: "a" },
      { at: "2020-05-02T00:00:00.000Z", surface: "mcp", model: "b", projectId: project.id },
      { at: "2020-05-03T00:00:00.000Z", surface: "search", model: "a", status: "refused", userId: member.actor.userId },
      { at: "2020-05-04T00:00:00.000Z", surface: "worker", model: "b", status: "error", userId: null },
    ]);
    const days = async (fields: Record<string, unknown>) =>
      (await readAll(org.ctx, { ...in2020, ...fields })).map((c) => c.createdAt.slice(0, 10));
    expect(await days({ projectId: project.id })).toEqual(["2020-05-02"]);
    expect(await days({ surface: "worker" })).toEqual(["2020-05-04"]);
    expect(await days({ model: "a" })).toEqual(["2020-05-03", "2020-05-01"]);
    expect(await days({ status: "refused" })).toEqual(["2020-05-03"]);
    expect(await days({ userId: member.actor.userId })).toEqual(["2020-05-03"]);
    expect(await days({ from: "2020-05-02", to: "2020-05-04T00:00:00Z" })).toEqual(["2020-05-03", "2020-05-02"]);
    const [worker] = await readAll(org.ctx, { ...in2020, surface: "worker" });
    expect(worker).toMatchObject({ user: null, project: null });
  });

  it("rejects a cursor it did not issue", async () => {
    await expect(activity.list(acme.ctx, listQuery({ cursor: "bogus" }))).rejects.toMatchObject({
      code: "validation_failed",
    });
  });
});

describe("who sees which calls", () => {
  it("shows members their own calls and the calls of projects they can see, never a private project's", async () => {
    const org = await buildOrganization(t.db);
    const ada = await org.addMember("member", "Ada");
    const grace = await org.addMember("member", "Grace");
    const open = await projects.create(org.ctx, { name: "Open", description: "" });
    const secret = await projects.create(org.ctx, { name: "Secret", description: "", visibility: "private" });
    const graceOnly = await projects.create(grace, { name: "Grace only", description: "", visibility: "private" });
    await seed(org.ctx, [
      { at: "2020-06-01T00:00:00.000Z", userId: ada.actor.userId, tool: "ada-own" },
      { at: "2020-06-02T00:00:00.000Z", userId: grace.actor.userId, tool: "grace-own" },
      { at: "2020-06-03T00:00:00.000Z", userId: grace.actor.userId, projectId: open.id, tool: "grace-in-open" },
      { at: "2020-06-04T00:00:00.000Z", userId: org.owner.id, projectId: secret.id, tool: "owner-in-secret" },
      { at: "2020-06-05T00:00:00.000Z", userId: ada.actor.userId, projectId: graceOnly.id, tool: "ada-in-grace-only" },
      { at: "2020-06-06T00:00:00.000Z", userId: null, tool: "worker" },
    ]);
    const tools = async (ctx: RequestContext, fields: Record<string, unknown> = {}) =>
      (await readAll(ctx, { ...in2020, ...fields })).map((c) => c.tool).sort();

    expect(await tools(ada)).toEqual(["ada-own", "grace-in-open"]);
    expect(await tools(grace)).toEqual(["ada-in-grace-only", "grace-in-open", "grace-own"]);
    expect(await tools(org.ctx)).toEqual([
      "ada-in-grace-only",
      "ada-own",
      "grace-in-open",
      "grace-own",
      "owner-in-secret",
      "worker",
    ]);
    // Filtering by someone else shows only what the reader could see anyway.
    expect(await tools(ada, { userId: grace.actor.userId })).toEqual(["grace-in-open"]);

    // Asking about a private project one is not on is the same as asking about one that does not exist.
    await expect(activity.list(ada, listQuery({ projectId: secret.id }))).rejects.toMatchObject({ code: "not_found" });
    const summaryQuery = AiActivitySummaryQuerySchema.parse({
      from: "2020-06-01",
      to: "2020-06-08",
      projectId: secret.id,
    });
    await expect(activity.summary(ada, summaryQuery)).rejects.toMatchObject({ code: "not_found" });
    const adaSummary = await activity.summary(
      ada,
      AiActivitySummaryQuerySchema.parse({ from: "2020-06-01", to: "2020-06-08" }),
    );
    expect(adaSummary.totals.calls).toBe(2);
    expect(adaSummary.byTool.map((b) => b.tool).sort()).toEqual(["ada-own", "grace-in-open"]);
  });

  it("narrows an admin's token without the admin scope to the member view, and refuses SCIM", async () => {
    const org = await buildOrganization(t.db);
    const admin = await org.addMember("admin");
    const other = await org.addMember("member");
    await seed(org.ctx, [{ at: "2020-07-01T00:00:00.000Z", userId: other.actor.userId, tool: "theirs" }]);
    const withScopes = (scopes: ("read" | "admin")[]): RequestContext => ({
      ...admin,
      actor: { ...admin.actor, via: { kind: "api_token", tokenId: "t", scopes } },
    });
    expect((await readAll(withScopes(["read"]), in2020)).map((c) => c.tool)).toEqual([]);
    expect((await readAll(withScopes(["admin"]), in2020)).map((c) => c.tool)).toEqual(["theirs"]);
    const scim = { ...admin, actor: { ...admin.actor, via: { kind: "scim" as const } } };
    await expect(activity.list(scim, listQuery())).rejects.toMatchObject({ code: "forbidden" });
  });

  it("does not return rows from another tenant", async () => {
    const project = await projects.create(acme.ctx, { name: "Acme rockets", description: "" });
    await seed(acme.ctx, [{ at: "2020-08-01T00:00:00.000Z", tool: "acme-secret", projectId: project.id }]);
    const globexMember = await globex.addMember("member");
    expect((await readAll(globex.ctx)).map((c) => c.tool)).not.toContain("acme-secret");
    // An owner's project filter is not checked (they may look at deleted projects), but RLS still holds.
    expect(await readAll(globex.ctx, { projectId: project.id })).toEqual([]);
    await expect(activity.list(globexMember, listQuery({ projectId: project.id }))).rejects.toMatchObject({
      code: "not_found",
    });
    const summary = await activity.summary(
      globex.ctx,
      AiActivitySummaryQuerySchema.parse({ from: "2020-08-01", to: "2020-08-02" }),
    );
    expect(summary.totals.calls).toBe(0);
  });
});

describe("the summary", () => {
  it("buckets calls per UTC day, empty days included, with sums and continuous percentiles", async () => {
    const org = await buildOrganization(t.db);
    const day1 = "2020-09-01";
    await seed(org.ctx, [
      // Day 1: four calls. Latencies 100..400 → p50 = 250, p95 = 300 + 0.85 × 100 = 385.
      { at: `${day1}T00:00:00.000Z`, latencyMs: 100, inputTokens: 1000, outputTokens: 100, costUsd: "0.010000" },
      { at: `${day1}T06:00:00.000Z`, latencyMs: 400, inputTokens: 2000, outputTokens: 200, costUsd: "0.020000" },
      {
        at: `${day1}T12:00:00.000Z`,
        latencyMs: 200,
        inputTokens: 3000,
        outputTokens: 300,
        costUsd: "0.000001",
        status: "error",
        tool: "search_docs",
      },
      {
        at: `${day1}T23:59:59.999Z`,
        latencyMs: 300,
        inputTokens: 4000,
        outputTokens: 400,
        costUsd: "0.000002",
        status: "refused",
        tool: "search_docs",
        model: "claude-haiku",
        provider: "anthropic",
      },
      // Day 2: none. Day 3: one call of 50 ms. Outside the range: a call on the day after.
      { at: "2020-09-03T00:00:00.000Z", latencyMs: 50, inputTokens: 5, outputTokens: 7, costUsd: "1.5" },
      { at: "2020-09-04T00:00:00.000Z", latencyMs: 9999, inputTokens: 1, outputTokens: 1, costUsd: "100" },
      { at: "2020-08-31T23:59:59.999Z", latencyMs: 9999, inputTokens: 1, outputTokens: 1, costUsd: "100" },
    ]);
    const summary = await activity.summary(
      org.ctx,
      AiActivitySummaryQuerySchema.parse({ from: "2020-09-01", to: "2020-09-04" }),
    );
    expect(summary.from).toBe("2020-09-01");
    expect(summary.to).toBe("2020-09-04");
    expect(summary.days).toEqual([
      {
        day: "2020-09-01",
        calls: 4,
        inputTokens: 10_000,
        outputTokens: 1_000,
        costUsd: 0.030003,
        errors: 1,
        refused: 1,
        latencyP50Ms: 250,
        latencyP95Ms: 385,
      },
      {
        day: "2020-09-02",
        calls: 0,
        inputTokens: 0,
        outputTokens: 0,
        costUsd: 0,
        errors: 0,
        refused: 0,
        latencyP50Ms: null,
        latencyP95Ms: null,
      },
      {
        day: "2020-09-03",
        calls: 1,
        inputTokens: 5,
        outputTokens: 7,
        costUsd: 1.5,
        errors: 0,
        refused: 0,
        latencyP50Ms: 50,
        latencyP95Ms: 50,
      },
    ]);
    // All five: latencies 50, 100, 200, 300, 400 → p50 = 200, p95 = 300 + 0.8 × 100 = 380.
    expect(summary.totals).toEqual({
      calls: 5,
      inputTokens: 10_005,
      outputTokens: 1_007,
      costUsd: 1.530003,
      errors: 1,
      refused: 1,
      latencyP50Ms: 200,
      latencyP95Ms: 380,
    });
    expect(summary.byModel.map((m) => [m.provider, m.model, m.calls, m.costUsd])).toEqual([
      ["openai", "gpt-4.1-mini", 4, 1.530001],
      ["anthropic", "claude-haiku", 1, 0.000002],
    ]);
    expect(summary.byTool.map((b) => [b.tool, b.calls, b.errors, b.refused, b.latencyP50Ms])).toEqual([
      [null, 3, 0, 0, 100],
      ["search_docs", 2, 1, 1, 250],
    ]);
  });

  it("applies the list's filters to the summary", async () => {
    const org = await buildOrganization(t.db);
    await seed(org.ctx, [
      { at: "2020-10-01T01:00:00.000Z", surface: "mcp", latencyMs: 10 },
      { at: "2020-10-01T02:00:00.000Z", surface: "assistant", latencyMs: 20, status: "error" },
    ]);
    const range = { from: "2020-10-01", to: "2020-10-02" };
    const mcp = await activity.summary(org.ctx, AiActivitySummaryQuerySchema.parse({ ...range, surface: "mcp" }));
    expect(mcp.totals).toMatchObject({ calls: 1, latencyP50Ms: 10 });
    const errors = await activity.summary(org.ctx, AiActivitySummaryQuerySchema.parse({ ...range, status: "error" }));
    expect(errors.totals).toMatchObject({ calls: 1, errors: 1, latencyP95Ms: 20 });
  });

  it("refuses ranges that are empty or longer than a year", () => {
    expect(() => AiActivitySummaryQuerySchema.parse({ from: "2020-01-02", to: "2020-01-02" })).toThrow(/before/);
    expect(() => AiActivitySummaryQuerySchema.parse({ from: "2019-01-01", to: "2020-06-01" })).toThrow(/at most 366/);
    const defaults = AiActivitySummaryQuerySchema.parse({});
    expect((Date.parse(defaults.to) - Date.parse(defaults.from)) / 86_400_000).toBe(30);
  });
});
