import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScimTokensService } from "./scim-tokens.service";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let clock: Date;
let tokens: ReturnType<typeof createScimTokensService>;

beforeAll(async () => {
  t = await createTestDatabase();
  clock = new Date("2026-12-01T10:00:00Z");
  tokens = createScimTokensService(t.db, { now: () => clock });
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
});
afterAll(async () => {
  await t?.drop();
});

describe("SCIM tokens service", () => {
  it("shows the token once, stores only its hash, and authenticates it to its organization", async () => {
    const created = await tokens.create(acme.ctx, { name: "Okta" });
    expect(created.token).toMatch(/^dfscim_[0-9a-f]{32}_/);
    expect(created.token.startsWith(created.prefix)).toBe(true);
    const stored = await t.db.withTenant(acme.ctx, (tx) =>
      tx.scimToken.findUnique({ where: { id: created.id }, select: { tokenHash: true, createdById: true } }),
    );
    expect(stored?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.tokenHash).not.toContain(created.token.slice(-20));
    expect(stored?.createdById).toBe(acme.owner.id);
    expect(await tokens.authenticate(created.token)).toEqual({
      organizationId: acme.organization.id,
      tokenId: created.id,
    });
    const listed = await tokens.list(acme.ctx);
    expect(listed.find((x) => x.id === created.id)).not.toHaveProperty("token");
    const audit = await t.db.withTenant(acme.ctx, (tx) =>
      tx.auditLog.findFirst({ where: { targetId: created.id }, select: { action: true, metadata: true } }),
    );
    expect(audit?.action).toBe("scim.token_created");
    expect(JSON.stringify(audit?.metadata)).not.toContain(created.token);
  });

  it("records last use at most once a minute", async () => {
    const created = await tokens.create(acme.ctx, { name: "Entra" });
    const lastUsed = async () => (await tokens.list(acme.ctx)).find((x) => x.id === created.id)?.lastUsedAt;
    await tokens.authenticate(created.token);
    expect(await lastUsed()).toBe(clock.toISOString());
    const first = clock;
    clock = new Date(first.getTime() + 30_000);
    await tokens.authenticate(created.token);
    expect(await lastUsed()).toBe(first.toISOString());
    clock = new Date(first.getTime() + 61_000);
    await tokens.authenticate(created.token);
    expect(await lastUsed()).toBe(clock.toISOString());
  });

  it("returns null for revoked, unknown and malformed tokens", async () => {
    const created = await tokens.create(globex.ctx, { name: "OneLogin" });
    await tokens.revoke(globex.ctx, created.id);
    await tokens.revoke(globex.ctx, created.id);
    expect(await tokens.authenticate(created.token)).toBeNull();
    expect((await tokens.list(globex.ctx)).map((x) => x.id)).not.toContain(created.id);
    expect(await tokens.authenticate(`${created.token.slice(0, -4)}AAAA`)).toBeNull();
    expect(await tokens.authenticate("dfscim_nope")).toBeNull();
    expect(await tokens.authenticate("")).toBeNull();
  });

  it("does not authenticate a token whose organization part was swapped for another", async () => {
    const created = await tokens.create(acme.ctx, { name: "swap" });
    const globexHex = globex.organization.id.replaceAll("-", "");
    const forged = created.token.replace(/^dfscim_[0-9a-f]{32}_/, `dfscim_${globexHex}_`);
    expect(await tokens.authenticate(forged)).toBeNull();
  });

  it("limits an organization to five active tokens", async () => {
    const org = await buildOrganization(t.db);
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await tokens.create(org.ctx, { name: `t${i}` }));
    await expect(tokens.create(org.ctx, { name: "sixth" })).rejects.toMatchObject({ code: "conflict" });
    await tokens.revoke(org.ctx, made[0]!.id);
    await expect(tokens.create(org.ctx, { name: "sixth" })).resolves.toMatchObject({ name: "sixth" });
  });

  it("keeps SCIM tokens to admins and signed-in sessions", async () => {
    const member = await acme.addMember("member");
    await expect(tokens.create(member, { name: "x" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(tokens.list(member)).rejects.toMatchObject({ code: "forbidden" });
    const admin = await acme.addMember("admin");
    await expect(tokens.create(admin, { name: "admin's" })).resolves.toMatchObject({ name: "admin's" });
    const viaApiToken = {
      ...admin,
      actor: { ...admin.actor, via: { kind: "api_token" as const, tokenId: "t", scopes: ["admin" as const] } },
    };
    await expect(tokens.create(viaApiToken, { name: "x" })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("does not return rows from another tenant", async () => {
    const secret = await tokens.create(acme.ctx, { name: "acme only" });
    expect((await tokens.list(globex.ctx)).map((x) => x.id)).not.toContain(secret.id);
    await expect(tokens.revoke(globex.ctx, secret.id)).rejects.toMatchObject({ code: "not_found" });
    expect(await tokens.authenticate(secret.token)).not.toBeNull();
  });
});
