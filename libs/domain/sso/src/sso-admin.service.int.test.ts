import type { RequestContext } from "@devflow/auth";
import type { CreateSsoConnectionInput } from "@devflow/contracts";
import { CreateSsoConnectionInputSchema } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { openSecret } from "@devflow/util-core";
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSsoService, type SsoService } from "./sso.service";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let sso: SsoService;
const key = randomBytes(32);
/** What the stub DNS answers: name → TXT records (chunks). Names not here answer ENOTFOUND. */
const dns = new Map<string, string[][]>();
const silent = { info: () => {}, warn: () => {} };

async function resolveTxt(name: string): Promise<string[][]> {
  const records = dns.get(name);
  if (records) return records;
  throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: "ENOTFOUND" });
}

beforeAll(async () => {
  t = await createTestDatabase();
  sso = createSsoService(t.db, { encryptionKey: key, resolveTxt, logger: silent });
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
});
afterAll(async () => {
  await t?.drop();
});

function oidc(overrides: Record<string, unknown> = {}): CreateSsoConnectionInput {
  return CreateSsoConnectionInputSchema.parse({
    protocol: "oidc",
    name: "Okta",
    config: { issuer: "https://acme.okta.example", clientId: "client-1", clientSecret: "s3cret-value" },
    ...overrides,
  });
}

function auditActions(ctx: RequestContext) {
  return t.db.withTenant(ctx, (tx) =>
    tx.auditLog.findMany({ where: { action: { startsWith: "sso." } }, orderBy: { createdAt: "asc" } }),
  );
}

function uniqueDomain(): string {
  return `d${randomUUID().slice(0, 8)}.example.com`;
}

async function verifiedDomain(fixture: OrganizationFixture, domain = uniqueDomain()) {
  const added = await sso.addDomain(fixture.ctx, domain);
  dns.set(added.txtRecord.name, [[added.txtRecord.value]]);
  expect((await sso.verifyDomain(fixture.ctx, added.id)).verified).toBe(true);
  return added;
}

describe("SSO connections", () => {
  it("stores the client secret encrypted, bound to its row, and never returns it", async () => {
    const created = await sso.createConnection(acme.ctx, oidc());
    expect(created).toMatchObject({
      protocol: "oidc",
      hasClientSecret: true,
      defaultRole: "member",
      config: {
        issuer: "https://acme.okta.example",
        clientId: "client-1",
        scopes: "openid email profile",
        groupsClaim: "groups",
      },
    });
    expect(JSON.stringify(created)).not.toContain("s3cret-value");
    expect(JSON.stringify(await sso.listConnections(acme.ctx))).not.toContain("s3cret-value");

    const row = await t.db.withTenant(acme.ctx, (tx) =>
      tx.ssoConnection.findUniqueOrThrow({ where: { id: created.id } }),
    );
    expect(JSON.stringify(row.config)).not.toContain("s3cret-value");
    expect(Buffer.from(row.encryptedSecret!).includes(Buffer.from("s3cret-value"))).toBe(false);
    expect(openSecret(key, row.encryptedSecret!, `sso_connections:${created.id}:client_secret`)).toBe("s3cret-value");
    expect(() => openSecret(key, row.encryptedSecret!, `sso_connections:${randomUUID()}:client_secret`)).toThrow();
  });

  it("keeps the old secret when an update leaves it out, and replaces it when given", async () => {
    const created = await sso.createConnection(acme.ctx, oidc({ name: "Keep" }));
    const config = { issuer: "https://login.example", clientId: "client-2" };
    const updated = await sso.updateConnection(acme.ctx, created.id, {
      protocol: "oidc",
      config: { ...config, scopes: "openid email", groupsClaim: "roles" },
    });
    expect(updated.config).toEqual({ ...config, scopes: "openid email", groupsClaim: "roles" });
    expect((await sso.oidcClientConfig(created.id))?.clientSecret).toBe("s3cret-value");

    await sso.updateConnection(acme.ctx, created.id, {
      protocol: "oidc",
      config: { ...config, clientSecret: "rotated", scopes: "openid", groupsClaim: "groups" },
    });
    expect((await sso.oidcClientConfig(created.id))?.clientSecret).toBe("rotated");
    const audit = await auditActions(acme.ctx);
    const replaced = audit.filter((a) => a.targetId === created.id && a.action === "sso.connection_updated");
    expect(replaced.map((a) => a.metadata)).toEqual([
      expect.not.objectContaining({ clientSecretReplaced: true }),
      expect.objectContaining({ clientSecretReplaced: true }),
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/s3cret-value|rotated"/);
  });

  it("refuses an update that names the wrong protocol", async () => {
    const created = await sso.createConnection(acme.ctx, oidc({ name: "Proto" }));
    await expect(sso.updateConnection(acme.ctx, created.id, { protocol: "saml", name: "x" })).rejects.toMatchObject({
      code: "validation_failed",
    });
  });

  it("refuses http issuers unless localhost issuers are allowed", async () => {
    const local = oidc({ config: { issuer: "http://localhost:8080/realms/dev", clientId: "c", clientSecret: "s" } });
    await expect(sso.createConnection(acme.ctx, local)).rejects.toMatchObject({ code: "validation_failed" });
    const dev = createSsoService(t.db, { encryptionKey: key, resolveTxt, logger: silent, allowLocalhostIssuer: true });
    const created = await dev.createConnection(acme.ctx, local);
    await dev.deleteConnection(acme.ctx, created.id);
    expect(() => oidc({ config: { issuer: "http://idp.example", clientId: "c", clientSecret: "s" } })).toThrow(/https/);
  });

  it("validates group mappings: no owner, at most 50", () => {
    expect(() => oidc({ groupRoleMap: { root: "owner" } })).toThrow();
    expect(() => oidc({ defaultRole: "owner" })).toThrow();
    const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`g${i}`, "member"]));
    expect(() => oidc({ groupRoleMap: tooMany })).toThrow(/50/);
  });

  it("stores SAML connections with their metadata and no secret", async () => {
    const saml = CreateSsoConnectionInputSchema.parse({
      protocol: "saml",
      name: "ADFS",
      config: { entityId: "https://adfs.example/id", metadataUrl: "https://adfs.example/metadata.xml" },
    });
    const created = await sso.createConnection(acme.ctx, saml);
    expect(created).toMatchObject({
      protocol: "saml",
      hasClientSecret: false,
      config: { entityId: "https://adfs.example/id" },
    });
    expect(await sso.oidcClientConfig(created.id)).toBeNull();
    expect(() =>
      CreateSsoConnectionInputSchema.parse({ protocol: "saml", name: "x", config: { entityId: "e" } }),
    ).toThrow(/metadata/);
    await sso.deleteConnection(acme.ctx, created.id);
  });

  it("limits an organization to 10 connections", async () => {
    const org = await buildOrganization(t.db);
    for (let i = 0; i < 10; i++) await sso.createConnection(org.ctx, oidc({ name: `C${i}` }));
    await expect(sso.createConnection(org.ctx, oidc({ name: "C10" }))).rejects.toMatchObject({ code: "conflict" });
  });

  it("audits create, update and delete", async () => {
    const org = await buildOrganization(t.db);
    const created = await sso.createConnection(org.ctx, oidc());
    await sso.updateConnection(org.ctx, created.id, { protocol: "oidc", enabled: false });
    await sso.deleteConnection(org.ctx, created.id);
    const audit = await auditActions(org.ctx);
    expect(audit.map((a) => [a.action, a.actorType, a.actorUserId, a.targetId])).toEqual([
      ["sso.connection_created", "user", org.owner.id, created.id],
      ["sso.connection_updated", "user", org.owner.id, created.id],
      ["sso.connection_deleted", "user", org.owner.id, created.id],
    ]);
    expect(await sso.listConnections(org.ctx)).toEqual([]);
  });
});

describe("domains", () => {
  it("returns the TXT record to publish, with a normalized domain", async () => {
    const name = uniqueDomain();
    const added = await sso.addDomain(acme.ctx, `  ${name.toUpperCase()}. `);
    expect(added).toMatchObject({ domain: name, status: "pending", verifiedAt: null });
    expect(added.txtRecord.name).toBe(`_devflow-verification.${name}`);
    expect(added.txtRecord.value).toMatch(/^devflow-verification=[A-Za-z0-9_-]{24}$/);
  });

  it("verifies when the TXT record is found, even split into chunks among other records", async () => {
    const added = await sso.addDomain(acme.ctx, uniqueDomain());
    const value = added.txtRecord.value;
    dns.set(added.txtRecord.name, [["v=spf1 -all"], [value.slice(0, 10), value.slice(10)]]);
    const result = await sso.verifyDomain(acme.ctx, added.id);
    expect(result).toMatchObject({ verified: true, domain: { status: "verified" } });
    expect(
      (await auditActions(acme.ctx)).some((a) => a.action === "sso.domain_verified" && a.targetId === added.id),
    ).toBe(true);
  });

  it("says so when no record is found, and stays pending", async () => {
    const added = await sso.addDomain(acme.ctx, uniqueDomain());
    const result = await sso.verifyDomain(acme.ctx, added.id);
    expect(result).toMatchObject({ verified: false, found: [], domain: { status: "pending" } });
    expect(result.message).toContain(`No TXT record found at ${added.txtRecord.name}`);
  });

  it("shows what it found when the record has the wrong value", async () => {
    const added = await sso.addDomain(acme.ctx, uniqueDomain());
    dns.set(added.txtRecord.name, [["devflow-verification=somebody-else"]]);
    const result = await sso.verifyDomain(acme.ctx, added.id);
    expect(result.verified).toBe(false);
    expect(result.found).toEqual(["devflow-verification=somebody-else"]);
    expect(result.message).toContain('Found "devflow-verification=somebody-else"');
    expect(result.message).toContain(added.txtRecord.value);
  });

  it("reports a DNS failure without verifying", async () => {
    const failing = createSsoService(t.db, {
      encryptionKey: key,
      logger: silent,
      resolveTxt: () => Promise.reject(Object.assign(new Error("timeout"), { code: "ETIMEOUT" })),
    });
    const added = await sso.addDomain(acme.ctx, uniqueDomain());
    const result = await failing.verifyDomain(acme.ctx, added.id);
    expect(result).toMatchObject({ verified: false, domain: { status: "pending" } });
    expect(result.message).toContain("ETIMEOUT");
  });

  it("lets only one organization claim a domain, without saying which one has it", async () => {
    const domain = uniqueDomain();
    await sso.addDomain(acme.ctx, domain);
    const error = await sso.addDomain(globex.ctx, domain).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "conflict" });
    expect((error as Error).message).not.toContain("Acme");
    expect((error as Error).message).not.toContain(acme.organization.id);
    await expect(sso.addDomain(acme.ctx, domain)).rejects.toMatchObject({ code: "conflict" });
  });

  it("refuses domains that are not one organization's", async () => {
    for (const domain of ["com", "10.1.2.3", "co.uk"]) {
      await expect(sso.addDomain(acme.ctx, domain)).rejects.toMatchObject({ code: "validation_failed" });
    }
  });

  it("removes a domain and audits it", async () => {
    const added = await sso.addDomain(acme.ctx, uniqueDomain());
    await sso.removeDomain(acme.ctx, added.id);
    expect((await sso.listDomains(acme.ctx)).map((d) => d.id)).not.toContain(added.id);
    expect(
      (await auditActions(acme.ctx)).some((a) => a.action === "sso.domain_removed" && a.targetId === added.id),
    ).toBe(true);
  });
});

describe("enforcement", () => {
  it("needs an enabled connection and a verified domain", async () => {
    const org = await buildOrganization(t.db);
    await expect(sso.setEnforced(org.ctx, true)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("an enabled SSO connection and a verified domain"),
    });
    const connection = await sso.createConnection(org.ctx, oidc({ enabled: false }));
    await expect(sso.setEnforced(org.ctx, true)).rejects.toMatchObject({ code: "conflict" });
    await sso.updateConnection(org.ctx, connection.id, { protocol: "oidc", enabled: true });
    await expect(sso.setEnforced(org.ctx, true)).rejects.toMatchObject({
      message: expect.stringContaining("a verified domain"),
    });
    await sso.addDomain(org.ctx, uniqueDomain());
    await expect(sso.setEnforced(org.ctx, true)).rejects.toMatchObject({ code: "conflict" });
    await verifiedDomain(org);
    expect(await sso.setEnforced(org.ctx, true)).toEqual({ enforced: true });
    expect(await sso.getEnforcement(org.ctx)).toEqual({ enforced: true });
    expect(await sso.setEnforced(org.ctx, false)).toEqual({ enforced: false });

    const audit = await t.db.withTenant(org.ctx, (tx) =>
      tx.auditLog.findMany({ where: { action: { startsWith: "organization.sso" } }, orderBy: { createdAt: "asc" } }),
    );
    expect(audit.map((a) => a.action)).toEqual(["organization.sso_enforced", "organization.sso_unenforced"]);
  });

  it("keeps the last enabled connection and the last verified domain while enforced", async () => {
    const org = await buildOrganization(t.db);
    const connection = await sso.createConnection(org.ctx, oidc());
    const domain = await verifiedDomain(org);
    await sso.setEnforced(org.ctx, true);
    await expect(
      sso.updateConnection(org.ctx, connection.id, { protocol: "oidc", enabled: false }),
    ).rejects.toMatchObject({ code: "conflict" });
    await expect(sso.deleteConnection(org.ctx, connection.id)).rejects.toMatchObject({ code: "conflict" });
    await expect(sso.removeDomain(org.ctx, domain.id)).rejects.toMatchObject({ code: "conflict" });
    await sso.setEnforced(org.ctx, false);
    await sso.removeDomain(org.ctx, domain.id);
    await sso.deleteConnection(org.ctx, connection.id);
  });
});

describe("who may manage SSO", () => {
  it("refuses members and viewers", async () => {
    for (const role of ["member", "viewer"] as const) {
      const ctx = await acme.addMember(role);
      await expect(sso.listConnections(ctx)).rejects.toMatchObject({ code: "forbidden" });
      await expect(sso.createConnection(ctx, oidc())).rejects.toMatchObject({ code: "forbidden" });
      await expect(sso.listDomains(ctx)).rejects.toMatchObject({ code: "forbidden" });
      await expect(sso.addDomain(ctx, uniqueDomain())).rejects.toMatchObject({ code: "forbidden" });
      await expect(sso.setEnforced(ctx, false)).rejects.toMatchObject({ code: "forbidden" });
    }
  });

  it("lets admins manage it", async () => {
    const admin = await acme.addMember("admin");
    const created = await sso.createConnection(admin, oidc({ name: "By admin" }));
    await sso.deleteConnection(admin, created.id);
  });

  it("does not return rows from another tenant", async () => {
    const connection = await sso.createConnection(acme.ctx, oidc({ name: "Acme only" }));
    const domain = await sso.addDomain(acme.ctx, uniqueDomain());
    const globexAdmin = await globex.addMember("admin");
    for (const ctx of [globex.ctx, globexAdmin]) {
      expect((await sso.listConnections(ctx)).map((c) => c.id)).not.toContain(connection.id);
      expect((await sso.listDomains(ctx)).map((d) => d.id)).not.toContain(domain.id);
      await expect(sso.updateConnection(ctx, connection.id, { protocol: "oidc", name: "pwned" })).rejects.toMatchObject(
        {
          code: "not_found",
        },
      );
      await expect(sso.deleteConnection(ctx, connection.id)).rejects.toMatchObject({ code: "not_found" });
      await expect(sso.verifyDomain(ctx, domain.id)).rejects.toMatchObject({ code: "not_found" });
      await expect(sso.removeDomain(ctx, domain.id)).rejects.toMatchObject({ code: "not_found" });
    }
    expect((await sso.listConnections(acme.ctx)).find((c) => c.id === connection.id)?.name).toBe("Acme only");
    expect((await sso.listDomains(acme.ctx)).map((d) => d.id)).toContain(domain.id);
  });
});
