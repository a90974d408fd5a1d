import type { Prisma, Tx } from "@devflow/db";

const memberColumns = {
  id: true,
  role: true,
  status: true,
  externalId: true,
  createdAt: true,
  updatedAt: true,
  user: { select: { id: true, email: true, name: true, updatedAt: true } },
} as const;

export type ScimMemberRow = Prisma.MembershipGetPayload<{ select: typeof memberColumns }>;

const groupColumns = {
  id: true,
  name: true,
  externalId: true,
  createdAt: true,
  updatedAt: true,
} as const;

export type ScimGroupRow = Prisma.GroupGetPayload<{ select: typeof groupColumns }>;

// ───────────── users (memberships of the tenant, with their global identity) ─────────────

/** The tenant's membership of `userId`, whatever its status, or null (RLS hides other organizations'). */
export function findMember(tx: Tx, userId: string) {
  return tx.membership.findFirst({ where: { userId }, select: memberColumns });
}

export async function listMembers(tx: Tx, where: Prisma.MembershipWhereInput, skip: number, take: number) {
  const total = await tx.membership.count({ where });
  const rows =
    take === 0
      ? []
      : await tx.membership.findMany({
          where,
          select: memberColumns,
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          skip,
          take,
        });
  return { total, rows };
}

/** The global identity with this email (stored lower-cased), in or out of the tenant. */
export function findUserByEmail(tx: Tx, email: string) {
  return tx.user.findUnique({ where: { email }, select: { id: true } });
}

export function insertUser(tx: Tx, data: { email: string; name: string }) {
  return tx.user.create({ data, select: { id: true } });
}

export function updateUser(tx: Tx, userId: string, data: { email?: string; name?: string }) {
  return tx.user.update({ where: { id: userId }, data, select: { id: true } });
}

export function insertMember(tx: Tx, data: Prisma.MembershipUncheckedCreateInput) {
  return tx.membership.create({ data, select: memberColumns });
}

export function updateMember(tx: Tx, membershipId: string, data: Prisma.MembershipUncheckedUpdateInput) {
  return tx.membership.update({ where: { id: membershipId }, data, select: memberColumns });
}

/**
 * Revokes every API token the user holds in the tenant, so a deprovisioned person's scripts stop
 * with their session. Returns how many were still live.
 */
export async function revokeApiTokensOf(tx: Tx, userId: string, at: Date): Promise<number> {
  const { count } = await tx.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } });
  return count;
}

/** The groups each of `userIds` is in, for the User resource's `groups` attribute. */
export function groupsOfUsers(tx: Tx, userIds: string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return tx.groupMember.findMany({
    where: { userId: { in: userIds } },
    select: { userId: true, group: { select: { id: true, name: true } } },
    orderBy: [{ createdAt: "asc" }],
  });
}

// ───────────── groups ─────────────

export function findGroup(tx: Tx, groupId: string) {
  return tx.group.findFirst({ where: { id: groupId }, select: groupColumns });
}

export async function listGroups(tx: Tx, where: Prisma.GroupWhereInput, skip: number, take: number) {
  const total = await tx.group.count({ where });
  const rows =
    take === 0
      ? []
      : await tx.group.findMany({
          where,
          select: groupColumns,
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          skip,
          take,
        });
  return { total, rows };
}

export function insertGroup(tx: Tx, data: Prisma.GroupUncheckedCreateInput) {
  return tx.group.create({ data, select: groupColumns });
}

export function updateGroup(tx: Tx, groupId: string, data: Prisma.GroupUncheckedUpdateInput) {
  return tx.group.update({ where: { id: groupId }, data, select: groupColumns });
}

export function deleteGroup(tx: Tx, groupId: string) {
  return tx.group.delete({ where: { id: groupId }, select: { id: true } });
}

/** Members of `groupIds` with the name to show for each, oldest first. */
export async function membersOfGroups(tx: Tx, groupIds: string[]) {
  if (groupIds.length === 0) return [];
  const rows = await tx.groupMember.findMany({
    where: { groupId: { in: groupIds } },
    select: { groupId: true, userId: true },
    orderBy: [{ createdAt: "asc" }],
  });
  const users = await tx.user.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.userId))] } },
    select: { id: true, name: true, email: true },
  });
  const byId = new Map(users.map((u) => [u.id, u]));
  return rows.map((r) => ({ groupId: r.groupId, userId: r.userId, display: byId.get(r.userId)?.name ?? "" }));
}

export function memberIdsOfGroup(tx: Tx, groupId: string): Promise<string[]> {
  return tx.groupMember
    .findMany({ where: { groupId }, select: { userId: true } })
    .then((rows) => rows.map((r) => r.userId));
}

/** Which of `userIds` are members of the tenant (any status). */
export function existingMemberIds(tx: Tx, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return Promise.resolve([]);
  return tx.membership
    .findMany({ where: { userId: { in: userIds } }, select: { userId: true } })
    .then((rows) => rows.map((r) => r.userId));
}

export async function addGroupMembers(tx: Tx, organizationId: string, groupId: string, userIds: string[]) {
  if (userIds.length === 0) return;
  await tx.groupMember.createMany({
    data: userIds.map((userId) => ({ organizationId, groupId, userId })),
    skipDuplicates: true,
  });
}

export async function removeGroupMembers(tx: Tx, groupId: string, userIds: string[]) {
  if (userIds.length === 0) return;
  await tx.groupMember.deleteMany({ where: { groupId, userId: { in: userIds } } });
}

/** Bumps `updated_at` when only the member list changed, so `meta.lastModified` tells the truth. */
export function touchGroup(tx: Tx, groupId: string) {
  return tx.group.update({ where: { id: groupId }, data: { updatedAt: new Date() }, select: groupColumns });
}
