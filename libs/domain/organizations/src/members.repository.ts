import type { Tx } from "@devflow/db";
import type { MemberRole } from "@devflow/contracts";

const memberColumns = {
  id: true,
  role: true,
  status: true,
  createdAt: true,
  user: { select: { id: true, email: true, name: true, avatarUrl: true } },
} as const;

/** The user's membership of the tenant's organization, whatever its status, or null. */
export function findMembership(tx: Tx, userId: string) {
  return tx.membership.findFirst({ where: { userId }, select: memberColumns });
}
export type MembershipRow = NonNullable<Awaited<ReturnType<typeof findMembership>>>;

/**
 * The active owners, locked until the transaction ends. Two owners demoting each other at the same
 * moment would otherwise both see "another owner remains" and leave the organization with none.
 */
export async function lockActiveOwners(tx: Tx, organizationId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ user_id: string }[]>`
    SELECT user_id FROM memberships
    WHERE organization_id = ${organizationId}::uuid AND role = 'owner' AND status = 'active'
    FOR UPDATE`;
  return rows.map((row) => String(row.user_id));
}

export function updateMembershipRole(tx: Tx, membershipId: string, role: MemberRole) {
  return tx.membership.update({ where: { id: membershipId }, data: { role }, select: memberColumns });
}

export function deleteMembership(tx: Tx, membershipId: string) {
  return tx.membership.delete({ where: { id: membershipId }, select: { id: true } });
}

export function findOrganization(tx: Tx, organizationId: string) {
  return tx.organization.findFirst({
    where: { id: organizationId, deletedAt: null },
    select: { id: true, slug: true, name: true, createdAt: true },
  });
}

export function renameOrganization(tx: Tx, organizationId: string, name: string) {
  return tx.organization.update({
    where: { id: organizationId },
    data: { name },
    select: { id: true, slug: true, name: true, createdAt: true },
  });
}
