import type { Tx } from "@devflow/db";
import type { MemberRole } from "@devflow/contracts";

const invitationColumns = {
  id: true,
  email: true,
  role: true,
  invitedById: true,
  expiresAt: true,
  acceptedAt: true,
  revokedAt: true,
  createdAt: true,
} as const;

const pendingAt = (now: Date) => ({ acceptedAt: null, revokedAt: null, expiresAt: { gt: now } });

export function insertInvitation(
  tx: Tx,
  data: {
    organizationId: string;
    email: string;
    role: MemberRole;
    tokenHash: string;
    invitedById: string;
    expiresAt: Date;
  },
) {
  return tx.invitation.create({ data, select: invitationColumns });
}
export type InvitationRow = Awaited<ReturnType<typeof insertInvitation>>;

export function findInvitationByTokenHash(tx: Tx, tokenHash: string) {
  return tx.invitation.findUnique({ where: { tokenHash }, select: invitationColumns });
}

export function findInvitation(tx: Tx, invitationId: string) {
  return tx.invitation.findFirst({ where: { id: invitationId }, select: invitationColumns });
}

export function listPendingInvitations(tx: Tx, now: Date) {
  return tx.invitation.findMany({
    where: pendingAt(now),
    select: invitationColumns,
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
  });
}

export function listPendingInvitationsTo(tx: Tx, email: string, now: Date) {
  return tx.invitation.findMany({ where: { email, ...pendingAt(now) }, select: { id: true } });
}

export function countPendingInvitations(tx: Tx, now: Date) {
  return tx.invitation.count({ where: pendingAt(now) });
}

/** Revokes the invitation if it is still open; false when it was accepted or revoked meanwhile. */
export async function markInvitationRevoked(tx: Tx, invitationId: string, now: Date): Promise<boolean> {
  const { count } = await tx.invitation.updateMany({
    where: { id: invitationId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: now },
  });
  return count === 1;
}

/** Marks the invitation used if it is still pending; false when another request got there first. */
export async function markInvitationAccepted(tx: Tx, invitationId: string, now: Date): Promise<boolean> {
  const { count } = await tx.invitation.updateMany({
    where: { id: invitationId, ...pendingAt(now) },
    data: { acceptedAt: now },
  });
  return count === 1;
}

export function findUsersByIds(tx: Tx, ids: string[]) {
  return tx.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
}
