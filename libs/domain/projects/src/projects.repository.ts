import type { Prisma, Tx } from "@devflow/db";

const projectColumns = {
  id: true,
  key: true,
  name: true,
  description: true,
  visibility: true,
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
