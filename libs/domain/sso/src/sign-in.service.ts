import type { MemberRole, SsoProtocol } from "@devflow/contracts";
import { type Database, isUniqueViolation } from "@devflow/db";
import { recordAudit } from "@devflow/domain-audit";
import { AppError, isUuid, openSecret } from "@devflow/util-core";
import { StoredOidcConfigSchema, StoredSamlConfigSchema, storedGroupRoleMap, storedRole } from "./connections.service";
import { emailDomain } from "./domain-name";
import { roleFromGroups } from "./role-mapping";
import * as repo from "./sso.repository";
import { secretContext, type SsoServiceOptions } from "./sso-options";

export interface SsoDiscovery {
  organizationId: string;
  organizationName: string;
  connectionId: string;
  protocol: SsoProtocol;
  enforced: boolean;
}

export interface SsoEnforcingOrganization {
  organizationId: string;
  organizationName: string;
}

export interface OidcClientConfig {
  connectionId: string;
  organizationId: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  groupsClaim: string;
}

export interface SamlConnectionConfig {
  connectionId: string;
  organizationId: string;
  /** The IdP's entity ID as the admin entered it. */
  entityId: string;
  /** Exactly one of the two: where the IdP publishes its metadata, or the metadata itself. */
  metadataUrl?: string;
  metadataXml?: string;
  /** Changes whenever the connection is edited, so a copy of it elsewhere knows it is stale. */
  updatedAt: Date;
}

/** What the IdP said about the person signing in. */
export interface SsoProfile {
  email: string;
  name?: string | null;
  /** The IdP's stable id for the person (OIDC `sub`, SAML NameID). */
  subject: string;
  groups: string[];
}

export interface ProvisionedMember {
  userId: string;
  organizationId: string;
  role: MemberRole;
}

/**
 * What sign-in needs before any tenant is chosen. Each lookup crosses tenants through withSystem
 * with its own reason and reads only the columns it answers with.
 */
export function createSignInService(db: Database, options: SsoServiceOptions) {
  /** The live organization that verified this email's domain. */
  async function verifiedOrganizationOf(email: string, reason: string) {
    const domain = emailDomain(email);
    if (!domain) return null;
    return db.withSystem(reason, async (tx) => {
      const owner = await repo.findVerifiedDomainOwner(tx, domain);
      if (!owner) return null;
      const organization = await repo.findOrganization(tx, owner.organizationId);
      if (!organization) return null;
      return { organization, connections: await repo.listEnabledConnectionsOf(tx, organization.id) };
    });
  }

  return {
    /** The organization and connection an email signs in with: its verified domain's enabled connection (OIDC first, then the oldest). */
    async discover(email: string): Promise<SsoDiscovery | null> {
      const found = await verifiedOrganizationOf(
        email,
        "sso discovery: which organization verified this email's domain",
      );
      if (!found) return null;
      const connection = found.connections.find((c) => c.protocol === "oidc") ?? found.connections[0];
      if (!connection) return null;
      return {
        organizationId: found.organization.id,
        organizationName: found.organization.name,
        connectionId: connection.id,
        protocol: connection.protocol,
        enforced: found.organization.enforceSso,
      };
    },

    /** The organization that requires SSO for this email's verified domain, if one does. */
    async enforcedFor(email: string): Promise<SsoEnforcingOrganization | null> {
      const domain = emailDomain(email);
      if (!domain) return null;
      return db.withSystem("sso enforcement: does the organization of this email's domain require SSO", async (tx) => {
        const owner = await repo.findVerifiedDomainOwner(tx, domain);
        if (!owner) return null;
        const organization = await repo.findOrganization(tx, owner.organizationId);
        if (!organization?.enforceSso) return null;
        return { organizationId: organization.id, organizationName: organization.name };
      });
    },

    /** The OIDC client of an enabled connection, secret decrypted, for the sign-in exchange. */
    async oidcClientConfig(connectionId: string): Promise<OidcClientConfig | null> {
      if (!isUuid(connectionId)) return null;
      const row = await db.withSystem("sso sign-in: load the OIDC client of one connection", async (tx) => {
        const connection = await repo.findConnection(tx, connectionId);
        if (!connection?.enabled || connection.protocol !== "oidc" || !connection.encryptedSecret) return null;
        return (await repo.findOrganization(tx, connection.organizationId)) ? connection : null;
      });
      if (!row?.encryptedSecret) return null;
      const config = StoredOidcConfigSchema.parse(row.config);
      return {
        connectionId: row.id,
        organizationId: row.organizationId,
        ...config,
        clientSecret: openSecret(options.encryptionKey, row.encryptedSecret, secretContext(row.id)),
      };
    },

    /** The IdP of an enabled SAML connection of a live organization, for the SAML bridge to sign in with. */
    async samlConnectionConfig(connectionId: string): Promise<SamlConnectionConfig | null> {
      if (!isUuid(connectionId)) return null;
      const row = await db.withSystem("sso sign-in: load the SAML IdP of one connection", async (tx) => {
        const connection = await repo.findConnection(tx, connectionId);
        if (!connection?.enabled || connection.protocol !== "saml") return null;
        return (await repo.findOrganization(tx, connection.organizationId)) ? connection : null;
      });
      if (!row) return null;
      const config = StoredSamlConfigSchema.parse(row.config);
      return {
        connectionId: row.id,
        organizationId: row.organizationId,
        entityId: config.entityId,
        ...(config.metadataUrl !== undefined && { metadataUrl: config.metadataUrl }),
        ...(config.metadataXml !== undefined && { metadataXml: config.metadataXml }),
        updatedAt: row.updatedAt,
      };
    },

    /** Ids of every enabled OIDC connection of a live organization, oldest first (one sign-in provider each). */
    async listEnabledOidcConnectionIds(): Promise<string[]> {
      return db.withSystem("sso sign-in: list the enabled OIDC connections to register as providers", async (tx) => {
        const connections = await repo.listEnabledOidcConnections(tx);
        if (connections.length === 0) return [];
        const live = new Set(
          (await repo.listLiveOrganizationIds(tx, [...new Set(connections.map((c) => c.organizationId))])).map(
            (o) => o.id,
          ),
        );
        return connections.filter((c) => live.has(c.organizationId)).map((c) => c.id);
      });
    },

    /**
     * Just-in-time provisioning after the IdP vouched for `profile`: the person's user (found or
     * created by email) gets a membership in the connection's organization, with the role the IdP's
     * groups map to. Owners are never changed by SSO; deactivated members stay out.
     */
    async provision(
      connectionId: string,
      profile: SsoProfile,
      meta: { ipAddress?: string | null },
    ): Promise<ProvisionedMember> {
      const email = profile.email.trim().toLowerCase();
      const connection = await loadProvisioningConnection(db, connectionId, email);
      const user = await db.withSystem("sso provisioning: find or create the user by email", (tx) =>
        repo.upsertUserByEmail(tx, { email, name: displayName(profile.name, email) }),
      );
      const mapped = roleFromGroups(profile.groups, storedGroupRoleMap(connection.groupRoleMap));
      const step = () =>
        upsertMembership(db, {
          organizationId: connection.organizationId,
          connectionId,
          userId: user.id,
          subject: profile.subject,
          mapped,
          defaultRole: storedRole(connection.defaultRole),
          ipAddress: meta.ipAddress ?? null,
        });
      let result: ProvisionedMember;
      try {
        result = await step();
      } catch (error) {
        // Two first sign-ins of one person at once: the other created the membership; update it instead.
        if (!isUniqueViolation(error)) throw error;
        result = await step();
      }
      options.logger.info(
        { userId: result.userId, organizationId: result.organizationId, connectionId, role: result.role },
        "sso provisioning",
      );
      return result;
    },
  };
}

async function loadProvisioningConnection(db: Database, connectionId: string, email: string) {
  const domain = emailDomain(email);
  const connection = isUuid(connectionId)
    ? await db.withSystem("sso provisioning: load the connection and check the email's domain", async (tx) => {
        const row = await repo.findConnection(tx, connectionId);
        if (!row?.enabled || !(await repo.findOrganization(tx, row.organizationId))) return null;
        const owner = domain ? await repo.findVerifiedDomainOwner(tx, domain) : null;
        return { ...row, isDomainVerified: owner?.organizationId === row.organizationId };
      })
    : null;
  if (!connection) {
    throw new AppError("forbidden", `SSO connection ${connectionId.slice(0, 64)} is not available for sign-in`, {
      report: false,
      details: { reason: "connection_unavailable" },
    });
  }
  if (!connection.isDomainVerified) {
    throw new AppError(
      "forbidden",
      `${domain ?? "This email's domain"} is not a verified domain of the organization behind this SSO connection`,
      { report: false, details: { reason: "domain_not_verified" } },
    );
  }
  return connection;
}

async function upsertMembership(
  db: Database,
  input: {
    organizationId: string;
    connectionId: string;
    userId: string;
    subject: string;
    mapped: MemberRole | null;
    defaultRole: MemberRole;
    ipAddress: string | null;
  },
): Promise<ProvisionedMember> {
  const { organizationId, userId } = input;
  return db.withTenant({ organizationId }, async (tx) => {
    const audit = { actor: { type: "system" as const }, ipAddress: input.ipAddress };
    const target = { type: "user", id: userId };
    const existing = await repo.findMembership(tx, userId);
    if (!existing) {
      const role = input.mapped ?? input.defaultRole;
      await repo.insertMembership(tx, { organizationId, userId, role, externalId: input.subject });
      await recordAudit(tx, organizationId, {
        action: "member.added",
        ...audit,
        target,
        metadata: { role, via: "sso", connectionId: input.connectionId },
      });
      return { userId, organizationId, role };
    }
    if (existing.status === "deactivated") {
      throw new AppError(
        "forbidden",
        "Your membership in this organization is deactivated; ask an admin to reactivate it",
        {
          report: false,
          details: { reason: "membership_deactivated" },
        },
      );
    }
    // Owners are managed by owners only; an IdP group never changes them (nor demotes the last one).
    const role = existing.role !== "owner" && input.mapped ? input.mapped : existing.role;
    if (role !== existing.role || existing.externalId !== input.subject) {
      await repo.updateMembership(tx, existing.id, {
        ...(role !== existing.role && { role }),
        ...(existing.externalId !== input.subject && { externalId: input.subject }),
      });
    }
    if (role !== existing.role) {
      await recordAudit(tx, organizationId, {
        action: "member.role_changed",
        ...audit,
        target,
        metadata: { from: existing.role, to: role, via: "sso", connectionId: input.connectionId },
      });
    }
    return { userId, organizationId, role };
  });
}

function displayName(name: string | null | undefined, email: string): string {
  const trimmed = name?.trim();
  if (trimmed) return trimmed.slice(0, 200);
  return email.slice(0, email.indexOf("@"));
}
