import type { RequestContext } from "@devflow/auth";
import { CreateSsoConnectionInputSchema } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createOrganizationsService } from "@devflow/domain-organizations";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSsoService, type SsoService } from "./sso.service";

let t: TestDatabase;
let sso: SsoService;
const dns = new Map<string, string[][]>();
const silent = { info: () => {}, warn: () => {} };

beforeAll(async () => {
  t = await createTestDatabase();
  sso = createSsoService(t.db, {
    encryptionKey: randomBytes(32),
    logger: silent,
    resolveTxt: async (name) => dns.get(name) ?? [],
  });
});
afterAll(async () => {
  await t?.drop();
});

interface SsoOrganization extends OrganizationFixture {
  domain: string;
  connectionId: string;
}

/** An organization with a verified domain and an enabled OIDC connection mapping groups to roles. */
async function ssoOrganization(options: { verify?: boolean; enabled?: boolean } = {}): Promise<SsoOrganization> {
  const org = await buildOrganization(t.db);
  const domain = `${randomUUID().slice(0, 8)}.example.com`;
  const added = await sso.addDomain(org.ctx, domain);
  if (options.verify !== false) {
    dns.set(added.txtRecord.name, [[added.txtRecord.value]]);
    await sso.verifyDomain(org.ctx, added.id);
  }
  const connection = await sso.createConnection(
    org.ctx,
    CreateSsoConnectionInputSchema.parse({
      protocol: "oidc",
      name: "IdP",
      enabled: options.enabled ?? true,
      defaultRole: "viewer",
      groupRoleMap: { engineers: "member", "eng-admins": "admin" },
      config: { issuer: "https://idp.example", clientId: "client", clientSecret: "secret" },
    }),
  );
  return { ...org, domain, connectionId: connection.id };
}

function membershipOf(org: OrganizationFixture, userId: string) {
  return t.db.withTenant(org.ctx, (tx) => tx.membership.findFirst({ where: { userId } }));
}

function auditOf(ctx: RequestContext, action: string) {
  return t.db.withTenant(ctx, (tx) => tx.auditLog.findMany({ where: { action }, orderBy: { createdAt: "asc" } }));
}

const profile = (email: string, groups: string[] = [], subject = `sub-${randomUUID()}`) => ({
  email,
  name: "Grace Hopper",
  subject,
  groups,
});

describe("discover", () => {
  it("finds the organization and connection of a verified domain with an enabled connection", async () => {
    const org = await ssoOrganization();
    expect(await sso.discover(`Grace@${org.domain.toUpperCase()}`)).toEqual({
      organizationId: org.organization.id,
      organizationName: org.organization.name,
      connectionId: org.connectionId,
      protocol: "oidc",
      enforced: false,
    });
  });

  it("finds nothing for a pending domain, a disabled connection, or an unknown domain", async () => {
    const pending = await ssoOrganization({ verify: false });
    const disabled = await ssoOrganization({ enabled: false });
    expect(await sso.discover(`a@${pending.domain}`)).toBeNull();
    expect(await sso.discover(`a@${disabled.domain}`)).toBeNull();
    expect(await sso.discover("a@nobody.example.org")).toBeNull();
    expect(await sso.discover("not-an-email")).toBeNull();
  });

  it("prefers an OIDC connection over an older SAML one", async () => {
    const org = await buildOrganization(t.db);
    const added = await sso.addDomain(org.ctx, `${randomUUID().slice(0, 8)}.example.com`);
    dns.set(added.txtRecord.name, [[added.txtRecord.value]]);
    await sso.verifyDomain(org.ctx, added.id);
    await sso.createConnection(
      org.ctx,
      CreateSsoConnectionInputSchema.parse({
        protocol: "saml",
        name: "SAML",
        config: { entityId: "urn:idp", metadataUrl: "https://idp.example/metadata" },
      }),
    );
    expect((await sso.discover(`a@${added.domain}`))?.protocol).toBe("saml");
    const oidc = await sso.createConnection(
      org.ctx,
      CreateSsoConnectionInputSchema.parse({
        protocol: "oidc",
        name: "OIDC",
        config: { issuer: "https://idp.example", clientId: "c", clientSecret: "s" },
      }),
    );
    expect(await sso.discover(`a@${added.domain}`)).toMatchObject({ connectionId: oidc.id, protocol: "oidc" });
  });
});

describe("enforcedFor", () => {
  it("names the organization only once it enforces SSO", async () => {
    const org = await ssoOrganization();
    expect(await sso.enforcedFor(`a@${org.domain}`)).toBeNull();
    await sso.setEnforced(org.ctx, true);
    expect(await sso.enforcedFor(`a@${org.domain}`)).toEqual({
      organizationId: org.organization.id,
      organizationName: org.organization.name,
    });
    expect((await sso.discover(`a@${org.domain}`))?.enforced).toBe(true);
  });
});

describe("OIDC client config", () => {
  it("returns the decrypted client of an enabled OIDC connection, and null otherwise", async () => {
    const org = await ssoOrganization();
    expect(await sso.oidcClientConfig(org.connectionId)).toEqual({
      connectionId: org.connectionId,
      organizationId: org.organization.id,
      issuer: "https://idp.example",
      clientId: "client",
      clientSecret: "secret",
      scopes: "openid email profile",
      groupsClaim: "groups",
    });
    expect(await sso.listEnabledOidcConnectionIds()).toContain(org.connectionId);
    await sso.updateConnection(org.ctx, org.connectionId, { protocol: "oidc", enabled: false });
    expect(await sso.oidcClientConfig(org.connectionId)).toBeNull();
    expect(await sso.listEnabledOidcConnectionIds()).not.toContain(org.connectionId);
    expect(await sso.oidcClientConfig(randomUUID())).toBeNull();
    expect(await sso.oidcClientConfig("not-a-uuid")).toBeNull();
  });
});

describe("SAML connection config", () => {
  it("returns the IdP of an enabled SAML connection, and null for OIDC, disabled or unknown ones", async () => {
    const org = await ssoOrganization();
    const metadataXml = '<EntityDescriptor entityID="https://idp.example/saml"></EntityDescriptor>';
    const saml = await sso.createConnection(
      org.ctx,
      CreateSsoConnectionInputSchema.parse({
        protocol: "saml",
        name: "SAML IdP",
        config: { entityId: "https://idp.example/saml", metadataXml },
      }),
    );
    expect(await sso.samlConnectionConfig(saml.id)).toEqual({
      connectionId: saml.id,
      organizationId: org.organization.id,
      entityId: "https://idp.example/saml",
      metadataXml,
      updatedAt: new Date(saml.updatedAt),
    });
    expect(await sso.samlConnectionConfig(org.connectionId)).toBeNull();
    await sso.updateConnection(org.ctx, saml.id, { protocol: "saml", enabled: false });
    expect(await sso.samlConnectionConfig(saml.id)).toBeNull();
    expect(await sso.samlConnectionConfig(randomUUID())).toBeNull();
  });
});

describe("provision", () => {
  it("creates the user and a membership with the highest mapped role, and audits it", async () => {
    const org = await ssoOrganization();
    const result = await sso.provision(
      org.connectionId,
      profile(`New.Person@${org.domain}`, ["engineers", "eng-admins"], "subject-1"),
      { ipAddress: "10.1.1.1" },
    );
    expect(result).toMatchObject({ organizationId: org.organization.id, role: "admin" });
    const user = await createOrganizationsService(t.db).findUserByEmail(`new.person@${org.domain}`);
    expect(user).toMatchObject({ id: result.userId, name: "Grace Hopper" });
    expect(await membershipOf(org, result.userId)).toMatchObject({
      role: "admin",
      status: "active",
      externalId: "subject-1",
    });
    const [added] = await auditOf(org.ctx, "member.added");
    expect(added).toMatchObject({
      actorType: "system",
      actorUserId: null,
      targetId: result.userId,
      ipAddress: "10.1.1.1",
    });
    expect(added?.metadata).toMatchObject({ role: "admin", via: "sso" });
  });

  it("uses the default role when no group is mapped, and keeps the role on later unmapped sign-ins", async () => {
    const org = await ssoOrganization();
    const first = await sso.provision(org.connectionId, profile(`a@${org.domain}`, ["sales"]), {});
    expect(first.role).toBe("viewer");
    const promoted = await sso.provision(org.connectionId, profile(`a@${org.domain}`, ["engineers"]), {});
    expect(promoted.role).toBe("member");
    const unmapped = await sso.provision(org.connectionId, profile(`a@${org.domain}`, []), {});
    expect(unmapped.role).toBe("member");
  });

  it("changes the role when the IdP's groups change, and audits the change", async () => {
    const org = await ssoOrganization();
    const { userId } = await sso.provision(org.connectionId, profile(`b@${org.domain}`, ["eng-admins"]), {});
    const demoted = await sso.provision(org.connectionId, profile(`b@${org.domain}`, ["engineers"]), {});
    expect(demoted.role).toBe("member");
    expect(await membershipOf(org, userId)).toMatchObject({ role: "member" });
    const changes = await auditOf(org.ctx, "member.role_changed");
    expect(changes.map((c) => c.metadata)).toEqual([expect.objectContaining({ from: "admin", to: "member" })]);
    expect(changes[0]).toMatchObject({ actorType: "system", targetId: userId });
  });

  it("never changes an owner's role, so the last owner cannot be demoted", async () => {
    const org = await ssoOrganization();
    const ownerEmail = `boss@${org.domain}`;
    const organizations = createOrganizationsService(t.db);
    const owner = await organizations.ensureUser({ email: ownerEmail, name: "Boss" });
    await t.db.withTenant(org.ctx, (tx) =>
      tx.membership.create({ data: { organizationId: org.organization.id, userId: owner.id, role: "owner" } }),
    );
    const result = await sso.provision(org.connectionId, profile(ownerEmail, ["engineers"]), {});
    expect(result.role).toBe("owner");
    expect(await membershipOf(org, owner.id)).toMatchObject({ role: "owner" });
    expect(await auditOf(org.ctx, "member.role_changed")).toEqual([]);
  });

  it("refuses an email whose domain is not a verified domain of the connection's organization", async () => {
    const org = await ssoOrganization();
    const other = await ssoOrganization();
    const pending = await ssoOrganization({ verify: false });
    for (const [connectionId, email] of [
      [org.connectionId, `x@${other.domain}`],
      [org.connectionId, "x@unclaimed.example.net"],
      [pending.connectionId, `x@${pending.domain}`],
    ] as const) {
      await expect(sso.provision(connectionId, profile(email), {})).rejects.toMatchObject({
        code: "forbidden",
        details: { reason: "domain_not_verified" },
      });
    }
    expect(await createOrganizationsService(t.db).findUserByEmail(`x@${other.domain}`)).toBeNull();
  });

  it("refuses a deactivated membership and leaves it deactivated", async () => {
    const org = await ssoOrganization();
    const { userId } = await sso.provision(org.connectionId, profile(`gone@${org.domain}`, ["engineers"]), {});
    await t.db.withTenant(org.ctx, (tx) =>
      tx.membership.updateMany({ where: { userId }, data: { status: "deactivated" } }),
    );
    await expect(
      sso.provision(org.connectionId, profile(`gone@${org.domain}`, ["eng-admins"]), {}),
    ).rejects.toMatchObject({
      code: "forbidden",
      details: { reason: "membership_deactivated" },
    });
    expect(await membershipOf(org, userId)).toMatchObject({ status: "deactivated", role: "member" });
  });

  it("refuses a disabled or unknown connection", async () => {
    const org = await ssoOrganization({ enabled: false });
    await expect(sso.provision(org.connectionId, profile(`a@${org.domain}`), {})).rejects.toMatchObject({
      code: "forbidden",
      details: { reason: "connection_unavailable" },
    });
    await expect(sso.provision("nope", profile(`a@${org.domain}`), {})).rejects.toMatchObject({ code: "forbidden" });
  });

  it("joins an existing user from another organization without touching that membership", async () => {
    const org = await ssoOrganization();
    const elsewhere = await buildOrganization(t.db);
    const email = `shared@${org.domain}`;
    const user = await createOrganizationsService(t.db).ensureUser({ email, name: "Shared" });
    await createOrganizationsService(t.db).addMember(elsewhere.ctx, user.id, "admin");
    const result = await sso.provision(org.connectionId, profile(email, ["engineers"]), {});
    expect(result).toEqual({ userId: user.id, organizationId: org.organization.id, role: "member" });
    expect(await membershipOf(elsewhere, user.id)).toMatchObject({ role: "admin" });
  });
});
