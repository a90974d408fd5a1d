import type { RequestContext } from "@devflow/auth";
import { ListAuditLogQuerySchema, type AuditLogEntryDto, type ListAuditLogQuery } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit, type AuditAction } from "./audit-entry";
import { createAuditLogService } from "./audit-log.service";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let auditLog: ReturnType<typeof createAuditLogService>;

beforeAll(async () => {
  t = await createTestDatabase();
  auditLog = createAuditLogService(t.db);
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
});
afterAll(async () => {
  await t?.drop();
});

interface Seed {
  action: AuditAction;
  at: string;
  actorUserId?: string | null;
  actorType?: string;
  targetId?: string;
  metadata?: Record<string, unknown>;
}

/** Writes entries at fixed times (in 2020, before anything the fixtures record) so filters have known answers. */
async function seed(ctx: RequestContext, entries: Seed[]): Promise<void> {
  await t.db.withTenant(ctx, async (tx) => {
    for (const e of entries) {
      await tx.auditLog.create({
        data: {
          organizationId: ctx.organizationId,
          action: e.action,
          actorType: e.actorType ?? (e.actorUserId ? "user" : "system"),
          actorUserId: e.actorUserId ?? null,
          targetType: e.targetId ? "api_token" : null,
          targetId: e.targetId ?? null,
          metadata: (e.metadata ?? {}) as object,
          ipAddress: "203.0.113.7",
          createdAt: new Date(e.at),
        },
      });
    }
  });
}

const query = (fields: Record<string, unknown> = {}): ListAuditLogQuery => ListAuditLogQuerySchema.parse(fields);
const in2020 = { from: "2020-01-01", to: "2021-01-01" };

async function readAll(ctx: RequestContext, fields: Record<string, unknown>): Promise<AuditLogEntryDto[]> {
  const items: AuditLogEntryDto[] = [];
  let cursor: string | undefined;
  do {
    const page = await auditLog.list(ctx, query({ ...fields, ...(cursor && { cursor }) }));
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let out = "";
  for await (const chunk of chunks) out += chunk;
  return out;
}

describe("audit log", () => {
  it("lists newest first and pages through entries that share a timestamp without gaps or repeats", async () => {
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
      at.map((time, i) => ({ action: "member.added", at: time, targetId: `t${i}` })),
    );
    const pages = [];
    let cursor: string | undefined;
    do {
      const page = await auditLog.list(org.ctx, query({ ...in2020, limit: 2, ...(cursor && { cursor }) }));
      pages.push(page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    const items = pages.flat();
    expect(new Set(items.map((i) => i.id)).size).toBe(5);
    expect(items.map((i) => i.createdAt)).toEqual([...at].sort().reverse());
  });

  it("filters by action, actor and time (from inclusive, to exclusive)", async () => {
    const org = await buildOrganization(t.db);
    const admin = await org.addMember("admin");
    await seed(org.ctx, [
      { action: "api_token.created", at: "2020-05-01T00:00:00.000Z", actorUserId: admin.actor.userId },
      { action: "api_token.revoked", at: "2020-05-02T00:00:00.000Z", actorUserId: admin.actor.userId },
      { action: "api_token.created", at: "2020-05-03T00:00:00.000Z", actorUserId: org.owner.id },
      { action: "member.removed", at: "2020-05-04T00:00:00.000Z" },
    ]);
    const actions = (items: AuditLogEntryDto[]) => items.map((i) => `${i.action}@${i.createdAt.slice(0, 10)}`);
    expect(actions(await readAll(org.ctx, { ...in2020, action: "api_token.created" }))).toEqual([
      "api_token.created@2020-05-03",
      "api_token.created@2020-05-01",
    ]);
    expect(actions(await readAll(org.ctx, { ...in2020, actorUserId: admin.actor.userId }))).toEqual([
      "api_token.revoked@2020-05-02",
      "api_token.created@2020-05-01",
    ]);
    expect(actions(await readAll(org.ctx, { from: "2020-05-02", to: "2020-05-04T00:00:00Z" }))).toEqual([
      "api_token.created@2020-05-03",
      "api_token.revoked@2020-05-02",
    ]);
  });

  it("names the people behind entries, and leaves system entries without an actor", async () => {
    const org = await buildOrganization(t.db);
    const admin = await org.addMember("admin", "Grace Hopper");
    await t.db.withTenant(org.ctx, (tx) =>
      recordAudit(tx, org.organization.id, {
        action: "member.role_changed",
        actor: { type: "user", userId: admin.actor.userId },
        target: { type: "member", id: org.owner.id },
        metadata: { from: "member", to: "admin" },
      }),
    );
    await seed(org.ctx, [{ action: "scim.user_created", at: "2020-01-02T00:00:00.000Z" }]);
    const [latest] = (await auditLog.list(org.ctx, query({ action: "member.role_changed" }))).items;
    expect(latest).toMatchObject({
      actorType: "user",
      actor: { id: admin.actor.userId, email: admin.user.email, name: "Grace Hopper" },
      target: { type: "member", id: org.owner.id },
      metadata: { from: "member", to: "admin" },
    });
    const [system] = (await auditLog.list(org.ctx, query(in2020))).items;
    expect(system).toMatchObject({ actorType: "system", actor: null, target: null });
  });

  it("is for admins and owners only, and never through a token without the admin scope", async () => {
    const admin = await acme.addMember("admin");
    for (const role of ["member", "viewer"] as const) {
      const ctx = await acme.addMember(role);
      await expect(auditLog.list(ctx, query())).rejects.toMatchObject({ code: "forbidden" });
      await expect(auditLog.export(ctx, {}, "csv")).rejects.toMatchObject({ code: "forbidden" });
    }
    const readToken = {
      ...admin,
      actor: { ...admin.actor, via: { kind: "api_token" as const, tokenId: "t", scopes: ["read" as const] } },
    };
    await expect(auditLog.list(readToken, query())).rejects.toMatchObject({ code: "forbidden" });
    const adminToken = {
      ...admin,
      actor: { ...admin.actor, via: { kind: "api_token" as const, tokenId: "t", scopes: ["admin" as const] } },
    };
    await expect(auditLog.list(adminToken, query())).resolves.toBeDefined();
    await expect(auditLog.list(admin, query())).resolves.toBeDefined();
  });

  it("rejects a cursor it did not issue", async () => {
    await expect(auditLog.list(acme.ctx, query({ cursor: "bogus" }))).rejects.toMatchObject({
      code: "validation_failed",
    });
  });

  it("does not return rows from another tenant", async () => {
    await seed(acme.ctx, [
      { action: "sso.connection_created", at: "2020-07-01T00:00:00.000Z", targetId: "acme-secret" },
    ]);
    const globexRows = await readAll(globex.ctx, {});
    expect(globexRows.map((r) => r.target?.id)).not.toContain("acme-secret");
    const csv = await text((await auditLog.export(globex.ctx, {}, "csv")).chunks);
    expect(csv).not.toContain("acme-secret");
  });
});

describe("audit log export", () => {
  it("writes CSV with a header, escaped fields and formulas defused", async () => {
    const org = await buildOrganization(t.db);
    const sneaky = await org.addMember("member", '=HYPERLINK("http://evil.test","Click")');
    await seed(org.ctx, [
      {
        action: "api_token.created",
        at: "2020-08-01T00:00:00.000Z",
        actorUserId: sneaky.actor.userId,
        metadata: { name: 'ci, "prod"' },
      },
    ]);
    const file = await auditLog.export(org.ctx, in2020ToFilter(), "csv");
    expect(file.contentType).toBe("text/csv; charset=utf-8");
    expect(file.filename).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = (await text(file.chunks)).split("\r\n");
    expect(lines[0]).toBe(
      "time,action,actor_type,actor_user_id,actor_email,actor_name,target_type,target_id,ip_address,metadata",
    );
    expect(lines[1]).toBe(
      `2020-08-01T00:00:00.000Z,api_token.created,user,${sneaky.actor.userId},${sneaky.user.email},` +
        `"'=HYPERLINK(""http://evil.test"",""Click"")",,,203.0.113.7,"{""name"":""ci, \\""prod\\""""}"`,
    );
    expect(lines.slice(2)).toEqual([""]);
  });

  it("writes JSON that parses back to the same entries the list shows", async () => {
    const org = await buildOrganization(t.db);
    await seed(org.ctx, [
      { action: "member.added", at: "2020-09-01T00:00:00.000Z" },
      { action: "member.removed", at: "2020-09-02T00:00:00.000Z", metadata: { reason: "left" } },
    ]);
    const file = await auditLog.export(org.ctx, in2020ToFilter(), "json");
    expect(file.contentType).toBe("application/json; charset=utf-8");
    expect(JSON.parse(await text(file.chunks))).toEqual((await auditLog.list(org.ctx, query(in2020))).items);
    const empty = await auditLog.export(org.ctx, { from: new Date("2019-01-01"), to: new Date("2019-02-01") }, "json");
    expect(JSON.parse(await text(empty.chunks))).toEqual([]);
  });

  it("stops at the row limit, reading in batches", async () => {
    const org = await buildOrganization(t.db);
    await seed(
      org.ctx,
      Array.from({ length: 7 }, (_, i) => ({ action: "member.added" as const, at: `2020-10-0${i + 1}T00:00:00.000Z` })),
    );
    const bounded = createAuditLogService(t.db, { exportMaxRows: 5, exportBatchSize: 2 });
    const lines = (await text((await bounded.export(org.ctx, in2020ToFilter(), "csv")).chunks)).trimEnd().split("\r\n");
    expect(lines).toHaveLength(1 + 5);
    expect(lines[1]!.startsWith("2020-10-07")).toBe(true);
    expect(lines[5]!.startsWith("2020-10-03")).toBe(true);
    const all = JSON.parse(
      await text(
        (await createAuditLogService(t.db, { exportBatchSize: 3 }).export(org.ctx, in2020ToFilter(), "json")).chunks,
      ),
    );
    expect(all).toHaveLength(7);
  });
});

function in2020ToFilter() {
  return { from: new Date(in2020.from), to: new Date(in2020.to) };
}
