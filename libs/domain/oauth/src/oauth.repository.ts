import type { Prisma, Tx } from "@devflow/db";

/*
 * Every query of the OAuth server. Clients are global (registered before anyone signs in); grants,
 * codes and the access tokens (api_tokens rows) are tenant rows, reached only inside withTenant.
 */

const clientColumns = { id: true, name: true, redirectUris: true, clientUri: true, logoUri: true } as const;
export type ClientRow = Prisma.OAuthClientGetPayload<{ select: typeof clientColumns }>;

const grantColumns = {
  id: true,
  userId: true,
  clientId: true,
  scopes: true,
  resource: true,
  refreshTokenHash: true,
  refreshExpiresAt: true,
  revokedAt: true,
  createdAt: true,
} as const;
export type GrantRow = Prisma.OAuthGrantGetPayload<{ select: typeof grantColumns }>;

// ── clients ──

export function insertClient(tx: Tx, data: Prisma.OAuthClientCreateInput) {
  return tx.oAuthClient.create({ data, select: { ...clientColumns, createdAt: true } });
}

export function findClient(tx: Tx, id: string) {
  return tx.oAuthClient.findUnique({ where: { id }, select: clientColumns });
}

export function findClients(tx: Tx, ids: readonly string[]) {
  return tx.oAuthClient.findMany({ where: { id: { in: [...ids] } }, select: clientColumns });
}

export function touchClient(tx: Tx, id: string, now: Date) {
  return tx.oAuthClient.updateMany({ where: { id }, data: { lastUsedAt: now } });
}

// ── grants ──

export function insertGrant(tx: Tx, data: Prisma.OAuthGrantUncheckedCreateInput) {
  return tx.oAuthGrant.create({ data, select: grantColumns });
}

/**
 * The grant, locked until the transaction ends: two refreshes with the same token are serialized,
 * so the second sees the rotated hash and counts as a replay instead of minting a second family.
 */
export async function lockGrant(tx: Tx, id: string): Promise<GrantRow | null> {
  await tx.$queryRaw`SELECT 1 FROM oauth_grants WHERE id = ${id}::uuid FOR UPDATE`;
  return tx.oAuthGrant.findUnique({ where: { id }, select: grantColumns });
}

export function setRefreshToken(tx: Tx, id: string, refreshTokenHash: string, refreshExpiresAt: Date) {
  return tx.oAuthGrant.update({ where: { id }, data: { refreshTokenHash, refreshExpiresAt }, select: grantColumns });
}

/** Revokes the grant unless it already is; true when this call revoked it. */
export async function markGrantRevoked(tx: Tx, id: string, now: Date): Promise<boolean> {
  const { count } = await tx.oAuthGrant.updateMany({
    where: { id, revokedAt: null },
    data: { revokedAt: now, refreshTokenHash: null },
  });
  return count === 1;
}

/** A person's grants that still work (not revoked, refresh token not expired), newest first. */
export function listLiveGrantsOf(tx: Tx, userId: string, now: Date, limit: number) {
  return tx.oAuthGrant.findMany({
    where: { userId, revokedAt: null, refreshExpiresAt: { gt: now } },
    select: grantColumns,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
  });
}

export function findGrant(tx: Tx, id: string) {
  return tx.oAuthGrant.findUnique({ where: { id }, select: grantColumns });
}

// ── authorization codes ──

export function insertCode(tx: Tx, data: Prisma.OAuthAuthorizationCodeUncheckedCreateInput) {
  return tx.oAuthAuthorizationCode.create({ data, select: { id: true } });
}

export function findCodeByHash(tx: Tx, codeHash: string) {
  return tx.oAuthAuthorizationCode.findUnique({ where: { codeHash } });
}

/** Spends the code unless it already was; false when another request got there first. */
export async function markCodeUsed(tx: Tx, id: string, now: Date): Promise<boolean> {
  const { count } = await tx.oAuthAuthorizationCode.updateMany({ where: { id, usedAt: null }, data: { usedAt: now } });
  return count === 1;
}

// ── access tokens (api_tokens rows issued to a client) ──

export function insertAccessToken(tx: Tx, data: Prisma.ApiTokenUncheckedCreateInput) {
  return tx.apiToken.create({ data, select: { id: true } });
}

export function revokeTokensOfGrant(tx: Tx, grantId: string, now: Date) {
  return tx.apiToken.updateMany({ where: { oauthGrantId: grantId, revokedAt: null }, data: { revokedAt: now } });
}

/**
 * Keeps at most `keep` live access tokens per grant, revoking the oldest: a client that refreshes
 * in a loop cannot pile up working tokens.
 */
export async function revokeOldTokensOfGrant(tx: Tx, grantId: string, now: Date, keep: number): Promise<void> {
  const stale = await tx.apiToken.findMany({
    where: { oauthGrantId: grantId, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: keep,
  });
  if (stale.length === 0) return;
  await tx.apiToken.updateMany({ where: { id: { in: stale.map((t) => t.id) } }, data: { revokedAt: now } });
}

export function findAccessTokenByHash(tx: Tx, tokenHash: string) {
  return tx.apiToken.findUnique({
    where: { tokenHash },
    select: { id: true, oauthClientId: true, oauthGrantId: true, revokedAt: true },
  });
}

export function markTokenRevoked(tx: Tx, id: string, now: Date) {
  return tx.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
}

/** When each grant's tokens were last used. */
export async function lastUseOfGrants(tx: Tx, grantIds: readonly string[]): Promise<Map<string, Date>> {
  if (grantIds.length === 0) return new Map();
  const rows = await tx.apiToken.groupBy({
    by: ["oauthGrantId"],
    where: { oauthGrantId: { in: [...grantIds] } },
    _max: { lastUsedAt: true },
  });
  const uses = new Map<string, Date>();
  for (const row of rows) if (row.oauthGrantId && row._max.lastUsedAt) uses.set(row.oauthGrantId, row._max.lastUsedAt);
  return uses;
}

// ── memberships ──

/** The person's role while they are an active member and the organization is not deleted; else null. */
export function findActiveMembership(tx: Tx, userId: string) {
  return tx.membership.findFirst({
    where: { userId, status: "active", organization: { deletedAt: null } },
    select: { role: true },
  });
}
