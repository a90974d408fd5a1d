import type { Prisma, Tx } from "@devflow/db";

const tokenColumns = {
  id: true,
  userId: true,
  name: true,
  prefix: true,
  scopes: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  oauthGrantId: true,
} as const;

export type ApiTokenRow = Prisma.ApiTokenGetPayload<{ select: typeof tokenColumns }>;

/**
 * Tokens made in settings. Access tokens issued to OAuth clients are api_tokens rows too, but they
 * are managed as connected apps, not listed or counted as personal tokens.
 */
const personal = { oauthGrantId: null } as const;

/** A token neither revoked nor expired at `now`. */
function activeAt(now: Date): Prisma.ApiTokenWhereInput {
  return { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}

/**
 * Locks the user's membership row until the transaction ends, so two concurrent creates cannot both
 * pass the per-user token limit. Returns null when the user is not a member (any status).
 */
export async function lockMembership(tx: Tx, userId: string): Promise<{ status: string } | null> {
  const rows = await tx.$queryRaw<{ status: string }[]>`
    SELECT status::text AS status FROM memberships WHERE user_id = ${userId}::uuid FOR UPDATE`;
  return rows[0] ?? null;
}

export function countActiveTokens(tx: Tx, userId: string, now: Date): Promise<number> {
  return tx.apiToken.count({ where: { userId, ...personal, ...activeAt(now) } });
}

export function insertToken(tx: Tx, data: Prisma.ApiTokenUncheckedCreateInput) {
  return tx.apiToken.create({ data, select: tokenColumns });
}

/** The user's tokens that are not revoked (expired ones included, so people see why one stopped), newest first. */
export function listTokensOf(tx: Tx, userId: string, limit: number, before?: { createdAt: Date; id: string }) {
  return tx.apiToken.findMany({
    where: {
      userId,
      ...personal,
      revokedAt: null,
      ...(before && {
        AND: [
          { OR: [{ createdAt: { lt: before.createdAt } }, { createdAt: before.createdAt, id: { lt: before.id } }] },
        ],
      }),
    },
    select: tokenColumns,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
}

export function findToken(tx: Tx, id: string) {
  return tx.apiToken.findUnique({ where: { id }, select: tokenColumns });
}

export function findTokenByHash(tx: Tx, tokenHash: string) {
  return tx.apiToken.findUnique({ where: { tokenHash }, select: tokenColumns });
}

export function markRevoked(tx: Tx, id: string, revokedAt: Date) {
  return tx.apiToken.update({ where: { id }, data: { revokedAt }, select: tokenColumns });
}

/** Records a use, unless one was recorded after `staleBefore` (a write per request would be wasteful). */
export function touchLastUsed(tx: Tx, id: string, now: Date, staleBefore: Date) {
  return tx.apiToken.updateMany({
    where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: staleBefore } }] },
    data: { lastUsedAt: now },
  });
}

/** The OAuth grant an access token was issued under: whether it still stands and what it is for. */
export function findOAuthGrant(tx: Tx, id: string) {
  return tx.oAuthGrant.findUnique({ where: { id }, select: { revokedAt: true, resource: true } });
}

/** The user's role while their membership is active and the organization not deleted; else null. */
export function findActiveMembership(tx: Tx, userId: string) {
  return tx.membership.findFirst({
    where: { userId, status: "active", organization: { deletedAt: null } },
    select: { role: true },
  });
}

/** The member's role whatever their status, or null when they are no longer a member. */
export function findMembershipRole(tx: Tx, userId: string) {
  return tx.membership.findFirst({ where: { userId }, select: { role: true } });
}
