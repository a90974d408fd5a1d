import type { MemberRole } from "@devflow/contracts";
import type { Prisma, Tx } from "@devflow/db";

const connectionColumns = {
  id: true,
  organizationId: true,
  protocol: true,
  name: true,
  config: true,
  encryptedSecret: true,
  defaultRole: true,
  groupRoleMap: true,
  enabled: true,
  createdAt: true,
  updatedAt: true,
} as const;

export type ConnectionRow = Prisma.SsoConnectionGetPayload<{ select: typeof connectionColumns }>;

const domainColumns = {
  id: true,
  organizationId: true,
  domain: true,
  verificationToken: true,
  verifiedAt: true,
  createdAt: true,
} as const;

export type DomainRow = Prisma.OrganizationDomainGetPayload<{ select: typeof domainColumns }>;

// Connections (tenant transactions, except where a function says otherwise).

export function listConnections(tx: Tx) {
  return tx.ssoConnection.findMany({ select: connectionColumns, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

export function countConnections(tx: Tx) {
  return tx.ssoConnection.count();
}

export function countEnabledConnections(tx: Tx, exceptId?: string) {
  return tx.ssoConnection.count({ where: { enabled: true, ...(exceptId && { id: { not: exceptId } }) } });
}

/** Any organization's connection when run under withSystem; the tenant's own under withTenant. */
export function findConnection(tx: Tx, id: string) {
  return tx.ssoConnection.findUnique({ where: { id }, select: connectionColumns });
}

export function insertConnection(tx: Tx, data: Prisma.SsoConnectionUncheckedCreateInput) {
  return tx.ssoConnection.create({ data, select: connectionColumns });
}

export function updateConnection(tx: Tx, id: string, data: Prisma.SsoConnectionUncheckedUpdateInput) {
  return tx.ssoConnection.update({ where: { id }, data, select: connectionColumns });
}

export function deleteConnection(tx: Tx, id: string) {
  return tx.ssoConnection.delete({ where: { id } });
}

/** The enabled connections of one organization, oldest first: what discovery chooses from. */
export function listEnabledConnectionsOf(tx: Tx, organizationId: string) {
  return tx.ssoConnection.findMany({
    where: { organizationId, enabled: true },
    select: { id: true, protocol: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

export function listEnabledOidcConnections(tx: Tx) {
  return tx.ssoConnection.findMany({
    where: { enabled: true, protocol: "oidc" },
    select: { id: true, organizationId: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

// Domains.

export function listDomains(tx: Tx) {
  return tx.organizationDomain.findMany({ select: domainColumns, orderBy: [{ domain: "asc" }] });
}

export function countDomains(tx: Tx) {
  return tx.organizationDomain.count();
}

export function countVerifiedDomains(tx: Tx, exceptId?: string) {
  return tx.organizationDomain.count({
    where: { verifiedAt: { not: null }, ...(exceptId && { id: { not: exceptId } }) },
  });
}

export function findDomain(tx: Tx, id: string) {
  return tx.organizationDomain.findUnique({ where: { id }, select: domainColumns });
}

export function findDomainByName(tx: Tx, domain: string) {
  return tx.organizationDomain.findUnique({ where: { domain }, select: domainColumns });
}

export function insertDomain(tx: Tx, data: { organizationId: string; domain: string; verificationToken: string }) {
  return tx.organizationDomain.create({ data, select: domainColumns });
}

export function markDomainVerified(tx: Tx, id: string, verifiedAt: Date) {
  return tx.organizationDomain.update({ where: { id }, data: { verifiedAt }, select: domainColumns });
}

export function deleteDomain(tx: Tx, id: string) {
  return tx.organizationDomain.delete({ where: { id } });
}

/** Run under withSystem: the organization that verified this domain, if any. */
export function findVerifiedDomainOwner(tx: Tx, domain: string) {
  return tx.organizationDomain.findFirst({
    where: { domain, verifiedAt: { not: null } },
    select: { organizationId: true },
  });
}

// Organizations, users and memberships.

export function findOrganization(tx: Tx, id: string) {
  return tx.organization.findFirst({
    where: { id, deletedAt: null },
    select: { id: true, name: true, enforceSso: true },
  });
}

export function listLiveOrganizationIds(tx: Tx, ids: string[]) {
  return tx.organization.findMany({ where: { id: { in: ids }, deletedAt: null }, select: { id: true } });
}

export function setEnforceSso(tx: Tx, organizationId: string, enforceSso: boolean) {
  return tx.organization.update({ where: { id: organizationId }, data: { enforceSso }, select: { enforceSso: true } });
}

export function upsertUserByEmail(tx: Tx, user: { email: string; name: string }) {
  return tx.user.upsert({ where: { email: user.email }, create: user, update: {}, select: { id: true } });
}

export function findMembership(tx: Tx, userId: string) {
  return tx.membership.findFirst({
    where: { userId },
    select: { id: true, role: true, status: true, externalId: true },
  });
}

export function insertMembership(
  tx: Tx,
  data: { organizationId: string; userId: string; role: MemberRole; externalId: string },
) {
  return tx.membership.create({ data, select: { id: true } });
}

export function updateMembership(tx: Tx, id: string, data: { role?: MemberRole; externalId?: string }) {
  return tx.membership.update({ where: { id }, data, select: { id: true } });
}
