import type { Tx } from "@devflow/db";
import type { MemberRole } from "@devflow/contracts";

const userColumns = { id: true, email: true, name: true, avatarUrl: true } as const;

export function findUserByEmail(tx: Tx, email: string) {
  return tx.user.findUnique({ where: { email: email.toLowerCase() }, select: userColumns });
}

export function upsertUser(tx: Tx, user: { email: string; name: string }) {
  return tx.user.upsert({
    where: { email: user.email },
    create: user,
    update: {},
    select: userColumns,
  });
}

export function upsertMembership(tx: Tx, organizationId: string, userId: string, role: MemberRole) {
  return tx.membership.upsert({
    where: { organizationId_userId: { organizationId, userId } },
    create: { organizationId, userId, role },
    update: { role, status: "active" },
  });
}

export function findUserById(tx: Tx, userId: string) {
  return tx.user.findUnique({ where: { id: userId }, select: userColumns });
}

/** Every active membership of a user, across organizations (run under withSystem). */
export function listMembershipsOfUser(tx: Tx, userId: string) {
  return tx.membership.findMany({
    where: { userId, status: "active", organization: { deletedAt: null } },
    select: { role: true, organization: { select: { id: true, slug: true, name: true, createdAt: true } } },
    orderBy: { organization: { name: "asc" } },
  });
}

export function findActiveMembership(tx: Tx, userId: string) {
  return tx.membership.findFirst({ where: { userId, status: "active" }, select: { role: true } });
}

export function slugExists(tx: Tx, slug: string) {
  return tx.organization.findUnique({ where: { slug }, select: { id: true } }).then(Boolean);
}

export async function insertOrganizationWithOwner(
  tx: Tx,
  org: { id: string; slug: string; name: string },
  ownerId: string,
  role: MemberRole = "owner",
) {
  const created = await tx.organization.create({ data: org });
  await tx.membership.create({ data: { organizationId: org.id, userId: ownerId, role } });
  return created;
}

export function listMembers(tx: Tx, limit: number, after?: { createdAt: Date; id: string }) {
  return tx.membership.findMany({
    where: {
      status: "active",
      ...(after && {
        OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }],
      }),
    },
    select: { id: true, role: true, createdAt: true, user: { select: userColumns } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit + 1,
  });
}
