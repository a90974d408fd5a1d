import { hashApiToken } from "@devflow/auth";
import type { RequestContext } from "@devflow/auth";
import { CreateApiTokenInputSchema, type CreateApiTokenInput } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApiTokensService } from "./api-tokens.service";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let clock: Date;
let tokens: ReturnType<typeof createApiTokensService>;

const MINUTE = 60_000;
const input = (fields: Partial<Record<keyof CreateApiTokenInput, unknown>> = {}): CreateApiTokenInput =>
  CreateApiTokenInputSchema.parse({ name: "CI", scopes: ["read"], ...fields });
const advance = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};

beforeAll(async () => {
  t = await createTestDatabase();
  tokens = createApiTokensService(t.db, { now: () => clock });
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
});
beforeEach(() => {
  clock = new Date();
});
afterAll(async () => {
  await t?.drop();
});

function storedTokens(ctx: RequestContext) {
  return t.db.withTenant(ctx, (tx) => tx.apiToken.findMany({ where: { userId: ctx.actor.userId } }));
}

function auditOf(ctx: RequestContext, targetId: string) {
  return t.db.withTenant(ctx, (tx) =>
    tx.auditLog.findMany({ where: { targetType: "api_token", targetId }, orderBy: { createdAt: "asc" } }),
  );
}

describe("creating a token", () => {
  it("shows the token once and stores only its SHA-256", async () => {
    const member = await acme.addMember("member");
    const created = await tokens.create(member, input({ name: "Deploy bot", scopes: ["write", "read"] }));
    expect(created.token).toMatch(/^dfp_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    expect(created.scopes).toEqual(["read", "write"]);
    expect(created.token.startsWith(created.prefix)).toBe(true);

    const [row] = await storedTokens(member);
    expect(row!.tokenHash).toBe(hashApiToken(created.token));
    const secret = created.token.slice(created.prefix.length);
    expect(JSON.stringify(row)).not.toContain(secret);

    const listed = await tokens.list(member, { limit: 10 });
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).not.toHaveProperty("token");
    expect(JSON.stringify(listed)).not.toContain(secret);
  });

  it("sets the expiry from the chosen number of days, or none", async () => {
    const member = await acme.addMember("member");
    const week = await tokens.create(member, input({ expiresInDays: 7 }));
    expect(new Date(week.expiresAt!).getTime()).toBe(clock.getTime() + 7 * 24 * 60 * MINUTE);
    expect((await tokens.create(member, input())).expiresAt).toBeNull();
  });

  it("refuses scopes beyond what the role may grant", async () => {
    const viewer = await acme.addMember("viewer");
    const member = await acme.addMember("member");
    await expect(tokens.create(viewer, input({ scopes: ["read", "write"] }))).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(tokens.create(member, input({ scopes: ["admin"] }))).rejects.toMatchObject({ code: "forbidden" });
    expect((await tokens.create(viewer, input({ scopes: ["read"] }))).scopes).toEqual(["read"]);
    expect((await tokens.create(acme.ctx, input({ scopes: ["admin"] }))).scopes).toEqual(["admin"]);
    expect(await storedTokens(member)).toHaveLength(0);
  });

  it("caps active tokens at 50 per person per organization, not counting revoked or expired ones", async () => {
    const member = await acme.addMember("member");
    const first = await tokens.create(member, input({ expiresInDays: 1 }));
    const second = await tokens.create(member, input());
    for (let i = 2; i < 50; i++) await tokens.create(member, input({ name: `token ${i}` }));
    await expect(tokens.create(member, input())).rejects.toMatchObject({ code: "conflict" });
    await tokens.revoke(member, second.id);
    await tokens.create(member, input({ name: "after a revoke" }));
    advance(2 * 24 * 60 * MINUTE);
    expect(first.expiresAt).not.toBeNull();
    await tokens.create(member, input({ name: "after an expiry" }));
    await expect(tokens.create(member, input())).rejects.toMatchObject({ code: "conflict" });
  });

  it("writes api_token.created to the audit log in the same transaction", async () => {
    const member = await acme.addMember("member");
    const created = await tokens.create(member, input({ name: "Audited", scopes: ["read"] }));
    const entries = await auditOf(member, created.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: "api_token.created",
      actorType: "user",
      actorUserId: member.actor.userId,
      metadata: { name: "Audited", scopes: ["read"], expiresAt: null },
    });
    expect(JSON.stringify(entries[0])).not.toContain(created.token);
  });
});

describe("authenticating with a token", () => {
  it("stands for its holder with their current role, narrowed to the token's scopes", async () => {
    const member = await acme.addMember("member");
    const created = await tokens.create(member, input({ scopes: ["read"] }));
    const ctx = await tokens.authenticate(created.token, "req-1");
    expect(ctx).toEqual({
      organizationId: acme.organization.id,
      requestId: "req-1",
      actor: {
        userId: member.actor.userId,
        role: "member",
        via: { kind: "api_token", tokenId: created.id, scopes: ["read"] },
      },
    });
  });

  it("stops working the moment it is revoked", async () => {
    const member = await acme.addMember("member");
    const created = await tokens.create(member, input());
    expect(await tokens.authenticate(created.token, "r")).not.toBeNull();
    await tokens.revoke(member, created.id);
    expect(await tokens.authenticate(created.token, "r")).toBeNull();
    expect((await tokens.list(member, { limit: 10 })).items.map((i) => i.id)).not.toContain(created.id);
  });

  it("fails once the token has expired", async () => {
    const member = await acme.addMember("member");
    const created = await tokens.create(member, input({ expiresInDays: 7 }));
    advance(7 * 24 * 60 * MINUTE - 1);
    expect(await tokens.authenticate(created.token, "r")).not.toBeNull();
    advance(1);
    expect(await tokens.authenticate(created.token, "r")).toBeNull();
  });

  it("follows the holder's membership: a new role applies at once, a deactivated member gets nothing", async () => {
    const admin = await acme.addMember("admin");
    const created = await tokens.create(admin, input({ scopes: ["read", "write", "admin"] }));
    await t.db.withTenant(acme.ctx, (tx) =>
      tx.membership.updateMany({ where: { userId: admin.actor.userId }, data: { role: "viewer" } }),
    );
    const demoted = await tokens.authenticate(created.token, "r");
    expect(demoted?.actor).toMatchObject({ role: "viewer", via: { scopes: ["read"] } });
    await t.db.withTenant(acme.ctx, (tx) =>
      tx.membership.updateMany({ where: { userId: admin.actor.userId }, data: { status: "deactivated" } }),
    );
    expect(await tokens.authenticate(created.token, "r")).toBeNull();
    await t.db.withTenant(acme.ctx, (tx) => tx.membership.deleteMany({ where: { userId: admin.actor.userId } }));
    expect(await tokens.authenticate(created.token, "r")).toBeNull();
  });

  it("records the last use at most once a minute", async () => {
    const member = await acme.addMember("member");
    const created = await tokens.create(member, input());
    const lastUsed = async () => (await tokens.list(member, { limit: 1 })).items[0]!.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    const firstUse = clock.toISOString();
    await tokens.authenticate(created.token, "r");
    expect(await lastUsed()).toBe(firstUse);
    advance(30_000);
    await tokens.authenticate(created.token, "r");
    expect(await lastUsed()).toBe(firstUse);
    advance(30_000);
    await tokens.authenticate(created.token, "r");
    expect(await lastUsed()).toBe(clock.toISOString());
  });

  it("returns null for malformed and unknown tokens", async () => {
    const created = await tokens.create(acme.ctx, input());
    const tampered = `${created.token.slice(0, -1)}${created.token.endsWith("A") ? "B" : "A"}`;
    for (const raw of ["", "Bearer x", "dfp_", created.token.toUpperCase(), tampered]) {
      expect(await tokens.authenticate(raw, "r")).toBeNull();
    }
  });

  it("fails when the token names another organization than the one it was made in", async () => {
    const created = await tokens.create(acme.ctx, input());
    const acmeHex = acme.organization.id.replaceAll("-", "");
    const globexHex = globex.organization.id.replaceAll("-", "");
    expect(await tokens.authenticate(created.token.replace(acmeHex, globexHex), "r")).toBeNull();
  });

  it("cannot be used to create or revoke tokens", async () => {
    const created = await tokens.create(acme.ctx, input({ scopes: ["admin"] }));
    const viaToken = (await tokens.authenticate(created.token, "r"))!;
    await expect(tokens.create(viaToken, input())).rejects.toMatchObject({ code: "forbidden" });
    await expect(tokens.revoke(viaToken, created.id)).rejects.toMatchObject({ code: "forbidden" });
    await expect(tokens.list(viaToken, { limit: 10 })).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("listing and revoking", () => {
  it("lists only the caller's tokens, newest first, page by page", async () => {
    const member = await acme.addMember("member");
    const other = await acme.addMember("member");
    for (const name of ["one", "two", "three"]) {
      await tokens.create(member, input({ name }));
      advance(1000);
    }
    await tokens.create(other, input({ name: "someone else's" }));
    const first = await tokens.list(member, { limit: 2 });
    const second = await tokens.list(member, { limit: 2, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((i) => i.name)).toEqual(["three", "two", "one"]);
    expect(second.nextCursor).toBeNull();
  });

  it("writes api_token.revoked once, and revoking again changes nothing", async () => {
    const member = await acme.addMember("member");
    const created = await tokens.create(member, input({ name: "Short-lived" }));
    await tokens.revoke(member, created.id);
    await tokens.revoke(member, created.id);
    const entries = await auditOf(member, created.id);
    expect(entries.map((e) => e.action)).toEqual(["api_token.created", "api_token.revoked"]);
    expect(entries[1]).toMatchObject({
      actorUserId: member.actor.userId,
      metadata: { holderUserId: member.actor.userId },
    });
  });

  it("lets admins revoke members' tokens, hides them from other members, and keeps owners' tokens to owners", async () => {
    const member = await acme.addMember("member");
    const bystander = await acme.addMember("member");
    const admin = await acme.addMember("admin");
    const membersToken = await tokens.create(member, input());
    const ownersToken = await tokens.create(acme.ctx, input());

    await expect(tokens.revoke(bystander, membersToken.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(tokens.revoke(admin, ownersToken.id)).rejects.toMatchObject({ code: "forbidden" });
    await tokens.revoke(admin, membersToken.id);
    expect(await tokens.authenticate(membersToken.token, "r")).toBeNull();
    expect(await tokens.authenticate(ownersToken.token, "r")).not.toBeNull();
    const [entry] = (await auditOf(acme.ctx, membersToken.id)).filter((e) => e.action === "api_token.revoked");
    expect(entry).toMatchObject({ actorUserId: admin.actor.userId, metadata: { holderUserId: member.actor.userId } });
  });

  it("does not return rows from another tenant", async () => {
    const created = await tokens.create(acme.ctx, input({ name: "Acme secret" }));
    await expect(tokens.revoke(globex.ctx, created.id)).rejects.toMatchObject({ code: "not_found" });
    expect(await tokens.authenticate(created.token, "r")).not.toBeNull();
    const globexNames = (await tokens.list(globex.ctx, { limit: 100 })).items.map((i) => i.name);
    expect(globexNames).not.toContain("Acme secret");
    // The same person, signed in to another organization, sees none of their first organization's tokens.
    const sameUserElsewhere = { ...globex.ctx, actor: acme.ctx.actor };
    expect((await tokens.list(sameUserElsewhere, { limit: 100 })).items).toEqual([]);
  });
});
