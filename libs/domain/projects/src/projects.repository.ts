import type { Prisma, Tx } from "@devflow/db";

const projectColumns = {
  id: true,
  key: true,
  name: true,
  description: true,
  visibility: true,
  createdById: true,
  archivedAt: true,
  createdAt: true,
  updatedAt: true,
  _count: { select: { documents: { where: { archivedAt: null } } } },
} as const;

export type ProjectRow = Prisma.ProjectGetPayload<{ select: typeof projectColumns }>;

/**
 * Projects the user may see: open to the organization, or private with the user on the member
 * list directly or through one of their groups. Admins and owners see every project.
 */
export async function visibleTo(tx: Tx, userId: string, seesAll: boolean): Promise<Prisma.ProjectWhereInput> {
  if (seesAll) return {};
  const groups = await tx.groupMember.findMany({ where: { userId }, select: { groupId: true } });
  const groupIds = groups.map((g) => g.groupId);
  return {
    OR: [
      { visibility: "organization" },
      { members: { some: { OR: [{ userId }, ...(groupIds.length ? [{ groupId: { in: groupIds } }] : [])] } } },
    ],
  };
}

export function listProjects(
  tx: Tx,
  where: Prisma.ProjectWhereInput,
  limit: number,
  after?: { name: string; id: string },
) {
  return tx.project.findMany({
    where: {
      ...where,
      ...(after && { AND: [{ OR: [{ name: { gt: after.name } }, { name: after.name, id: { gt: after.id } }] }] }),
    },
    select: projectColumns,
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: limit + 1,
  });
}

export async function listProjectIds(tx: Tx, where: Prisma.ProjectWhereInput): Promise<string[]> {
  const rows = await tx.project.findMany({ where, select: { id: true } });
  return rows.map((r) => r.id);
}

export function findProject(tx: Tx, where: Prisma.ProjectWhereInput) {
  return tx.project.findFirst({ where, select: projectColumns });
}

export function keyExists(tx: Tx, key: string) {
  return tx.project.findFirst({ where: { key }, select: { id: true } }).then(Boolean);
}

export function insertProject(tx: Tx, data: Prisma.ProjectUncheckedCreateInput) {
  return tx.project.create({ data, select: projectColumns });
}

export function updateProject(tx: Tx, id: string, data: Prisma.ProjectUncheckedUpdateInput) {
  return tx.project.update({ where: { id }, data, select: projectColumns });
}

export function deleteProject(tx: Tx, id: string) {
  return tx.project.delete({ where: { id } });
}

/** Serializes changes to one project's access list, so two saves cannot interleave their diffs. */
export async function lockProject(tx: Tx, id: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM projects WHERE id = ${id}::uuid FOR UPDATE`;
}

export function listAccessRows(tx: Tx, projectId: string) {
  return tx.projectMember.findMany({ where: { projectId }, select: { userId: true, groupId: true } });
}

export async function isListed(tx: Tx, projectId: string, userId: string): Promise<boolean> {
  const groups = await tx.groupMember.findMany({ where: { userId }, select: { groupId: true } });
  const groupIds = groups.map((g) => g.groupId);
  const row = await tx.projectMember.findFirst({
    where: { projectId, OR: [{ userId }, ...(groupIds.length ? [{ groupId: { in: groupIds } }] : [])] },
    select: { id: true },
  });
  return row !== null;
}

/** The members of each of the groups, by group. */
export async function listGroupMemberIds(tx: Tx, groupIds: readonly string[]): Promise<Map<string, string[]>> {
  const byGroup = new Map<string, string[]>(groupIds.map((id) => [id, []]));
  if (groupIds.length === 0) return byGroup;
  const rows = await tx.groupMember.findMany({
    where: { groupId: { in: [...groupIds] } },
    select: { groupId: true, userId: true },
    orderBy: [{ groupId: "asc" }, { userId: "asc" }],
  });
  for (const row of rows) byGroup.get(row.groupId)?.push(row.userId);
  return byGroup;
}

export async function isInAnyGroup(tx: Tx, userId: string, groupIds: readonly string[]): Promise<boolean> {
  if (groupIds.length === 0) return false;
  const row = await tx.groupMember.findFirst({
    where: { userId, groupId: { in: [...groupIds] } },
    select: { userId: true },
  });
  return row !== null;
}

/** Active members of the organization among `userIds`, with what the access list shows of them. */
export function findActiveMembers(tx: Tx, organizationId: string, userIds: readonly string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return tx.membership.findMany({
    where: { organizationId, status: "active", userId: { in: [...userIds] } },
    select: { userId: true, role: true, user: { select: { name: true, email: true } } },
    orderBy: [{ user: { name: "asc" } }, { userId: "asc" }],
  });
}

const groupColumns = {
  id: true,
  name: true,
  externalId: true,
  _count: { select: { members: true } },
} as const;

export type GroupRow = Prisma.GroupGetPayload<{ select: typeof groupColumns }>;

export function findGroups(tx: Tx, organizationId: string, groupIds: readonly string[]): Promise<GroupRow[]> {
  if (groupIds.length === 0) return Promise.resolve([]);
  return tx.group.findMany({
    where: { organizationId, id: { in: [...groupIds] } },
    select: groupColumns,
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
}

export function listGroups(
  tx: Tx,
  organizationId: string,
  search: string | undefined,
  limit: number,
  after?: { name: string; id: string },
): Promise<GroupRow[]> {
  return tx.group.findMany({
    where: {
      organizationId,
      ...(search && { name: { contains: search, mode: "insensitive" } }),
      ...(after && { OR: [{ name: { gt: after.name } }, { name: after.name, id: { gt: after.id } }] }),
    },
    select: groupColumns,
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: limit + 1,
  });
}

export function addAccessRows(
  tx: Tx,
  organizationId: string,
  projectId: string,
  entries: { userIds: readonly string[]; groupIds: readonly string[] },
) {
  const data = [
    ...entries.userIds.map((userId) => ({ organizationId, projectId, userId })),
    ...entries.groupIds.map((groupId) => ({ organizationId, projectId, groupId })),
  ];
  if (data.length === 0) return Promise.resolve({ count: 0 });
  return tx.projectMember.createMany({ data, skipDuplicates: true });
}

export function removeAccessRows(
  tx: Tx,
  projectId: string,
  entries: { userIds: readonly string[]; groupIds: readonly string[] },
) {
  if (entries.userIds.length === 0 && entries.groupIds.length === 0) return Promise.resolve({ count: 0 });
  return tx.projectMember.deleteMany({
    where: {
      projectId,
      OR: [
        ...(entries.userIds.length ? [{ userId: { in: [...entries.userIds] } }] : []),
        ...(entries.groupIds.length ? [{ groupId: { in: [...entries.groupIds] } }] : []),
      ],
    },
  });
}
