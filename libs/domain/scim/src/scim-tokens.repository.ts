import type { Prisma, Tx } from "@devflow/db";

const tokenColumns = {
  id: true,
  name: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

export type ScimTokenRow = Prisma.ScimTokenGetPayload<{ select: typeof tokenColumns }>;

/**
 * Locks the organization's row until the transaction ends, so two concurrent creates cannot both
 * pass the per-organization token limit.
 */
export async function lockOrganization(tx: Tx, organizationId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM organizations WHERE id = ${organizationId}::uuid AND deleted_at IS NULL FOR UPDATE`;
  return rows.length > 0;
}

export function countActiveTokens(tx: Tx): Promise<number> {
  return tx.scimToken.count({ where: { revokedAt: null } });
}

export function insertToken(tx: Tx, data: Prisma.ScimTokenUncheckedCreateInput) {
  return tx.scimToken.create({ data, select: tokenColumns });
}

/** The organization's tokens that are not revoked, newest first. */
export function listActiveTokens(tx: Tx) {
  return tx.scimToken.findMany({
    where: { revokedAt: null },
    select: tokenColumns,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
}

export function findToken(tx: Tx, id: string) {
  return tx.scimToken.findUnique({ where: { id }, select: tokenColumns });
}

export function findTokenByHash(tx: Tx, tokenHash: string) {
  return tx.scimToken.findUnique({ where: { tokenHash }, select: tokenColumns });
}

export function markRevoked(tx: Tx, id: string, revokedAt: Date) {
  return tx.scimToken.update({ where: { id }, data: { revokedAt }, select: { id: true } });
}

/** Records a use, unless one was recorded after `staleBefore`: a write per provisioning call would be waste. */
export function touchLastUsed(tx: Tx, id: string, now: Date, staleBefore: Date) {
  return tx.scimToken.updateMany({
    where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: staleBefore } }] },
    data: { lastUsedAt: now },
  });
}

export function organizationIsLive(tx: Tx, organizationId: string): Promise<boolean> {
  return tx.organization
    .findFirst({ where: { id: organizationId, deletedAt: null }, select: { id: true } })
    .then(Boolean);
}
