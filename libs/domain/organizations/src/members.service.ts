import type { RequestContext } from "@devflow/auth";
import { can } from "@devflow/auth";
import { LAST_OWNER_REASON, type MemberDto, type MemberRole } from "@devflow/contracts";
import type { Database, Tx } from "@devflow/db";
import { recordAudit, type AuditActorType, type AuditEntry } from "@devflow/domain-audit";
import { AppError, forbidden, notFound } from "@devflow/util-core";
import * as repo from "./members.repository";
import type { MembershipRow } from "./members.repository";

export type MembersService = ReturnType<typeof createMembersService>;

/**
 * Changing who is in an organization and with which role: role changes, removal and ownership
 * transfer. Admins manage members, only owners act on owners, and every change keeps at least one
 * owner and writes its audit entry in the same transaction.
 */
export function createMembersService(db: Database) {
  return {
    /** Gives the member `role`; only owners grant or take away ownership. */
    async changeRole(ctx: RequestContext, userId: string, role: MemberRole): Promise<MemberDto> {
      assertMayGrant(ctx, role);
      return db.withTenant(ctx, async (tx) => {
        const member = await loadActiveMember(tx, userId);
        return toMemberDto(await changeRoleOf(tx, ctx, member, role));
      });
    },

    /** Removes the member from the organization; the last owner cannot be removed. */
    async removeMember(ctx: RequestContext, userId: string): Promise<void> {
      if (!can(ctx.actor, "members:manage")) throw forbidden("Only admins and owners can remove members");
      await db.withTenant(ctx, async (tx) => {
        const member = await loadActiveMember(tx, userId);
        assertMayActOn(ctx, member);
        if (member.role === "owner") await assertAnotherOwnerRemains(tx, ctx.organizationId, userId, "remove");
        await repo.deleteMembership(tx, member.id);
        await audit(tx, ctx, {
          action: "member.removed",
          target: { type: "user", id: userId },
          metadata: { role: member.role },
        });
      });
    },

    /** Makes another member the owner; the acting owner becomes an admin. */
    async transferOwnership(ctx: RequestContext, userId: string): Promise<void> {
      if (!can(ctx.actor, "organization:transfer")) throw forbidden("Only an owner can transfer ownership");
      if (userId === ctx.actor.userId) {
        throw new AppError("validation_failed", "Choose another member to transfer ownership to", { report: false });
      }
      await db.withTenant(ctx, async (tx) => {
        await repo.lockActiveOwners(tx, ctx.organizationId);
        const current = await repo.findMembership(tx, ctx.actor.userId);
        if (current?.status !== "active" || current.role !== "owner") {
          throw forbidden("Only an owner can transfer ownership");
        }
        const next = await loadActiveMember(tx, userId);
        if (next.role !== "owner") await repo.updateMembershipRole(tx, next.id, "owner");
        await repo.updateMembershipRole(tx, current.id, "admin");
        await audit(tx, ctx, {
          action: "organization.ownership_transferred",
          target: { type: "user", id: userId },
          metadata: { from: ctx.actor.userId, to: userId, previousRole: next.role },
        });
      });
    },
  };
}

const ROLE_RANK: Record<MemberRole, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** Admins and owners manage members, and nobody grants a role above their own. */
export function assertMayGrant(ctx: RequestContext, role: MemberRole): void {
  if (!can(ctx.actor, "members:manage")) throw forbidden("Only admins and owners can manage members");
  if (ROLE_RANK[role] > ROLE_RANK[ctx.actor.role]) {
    throw forbidden(`A ${ctx.actor.role} cannot give anyone the ${role} role`);
  }
}

/**
 * Changes an active member's role inside the caller's transaction, with the checks every path
 * shares: only owners act on owners, and the last owner keeps the role. No-op when unchanged.
 */
export async function changeRoleOf(tx: Tx, ctx: RequestContext, member: MembershipRow, role: MemberRole) {
  assertMayActOn(ctx, member);
  if (member.role === role) return member;
  if (member.role === "owner") await assertAnotherOwnerRemains(tx, ctx.organizationId, member.user.id, "demote");
  const updated = await repo.updateMembershipRole(tx, member.id, role);
  await audit(tx, ctx, {
    action: "member.role_changed",
    target: { type: "user", id: member.user.id },
    metadata: { from: member.role, to: role },
  });
  return updated;
}

async function loadActiveMember(tx: Tx, userId: string): Promise<MembershipRow> {
  const member = await repo.findMembership(tx, userId);
  if (!member || member.status !== "active") throw notFound("Member", userId);
  return member;
}

function assertMayActOn(ctx: RequestContext, member: MembershipRow): void {
  if (!can(ctx.actor, "members:manage", { kind: "member", role: member.role })) {
    throw forbidden(
      member.role === "owner"
        ? "Only owners can change or remove an owner"
        : "Only admins and owners can manage members",
    );
  }
}

async function assertAnotherOwnerRemains(tx: Tx, organizationId: string, userId: string, verb: "demote" | "remove") {
  const owners = await repo.lockActiveOwners(tx, organizationId);
  if (owners.some((id) => id !== userId)) return;
  throw new AppError(
    "conflict",
    `Cannot ${verb} the last owner of the organization: make another member an owner or transfer ownership first`,
    { report: false, details: { reason: LAST_OWNER_REASON } },
  );
}

/** Records an entry for a change made by `ctx`'s actor, in the change's own transaction. */
export function audit(tx: Tx, ctx: RequestContext, entry: Omit<AuditEntry, "actor" | "ipAddress">): Promise<void> {
  return recordAudit(tx, ctx.organizationId, { ...entry, actor: auditActorOf(ctx), ipAddress: ctx.ipAddress ?? null });
}

function auditActorOf(ctx: RequestContext): { type: AuditActorType; userId: string } {
  const kind = ctx.actor.via?.kind;
  const type: AuditActorType = kind === "api_token" ? "api_token" : kind === "scim" ? "scim" : "user";
  return { type, userId: ctx.actor.userId };
}

export function toMemberDto(member: MembershipRow): MemberDto {
  return { user: member.user, role: member.role, joinedAt: member.createdAt.toISOString() };
}
