import type { RequestContext } from "@devflow/auth";
import { can } from "@devflow/auth";
import {
  INVITATION_TTL_DAYS,
  PENDING_INVITATIONS_MAX,
  type CreateInvitationInput,
  type InvitationDto,
  type InvitationFailureReason,
  type InvitationPreviewDto,
  type InvitationStatus,
  type MyOrganizationDto,
} from "@devflow/contracts";
import type { Database, Tx } from "@devflow/db";
import { recordAudit } from "@devflow/domain-audit";
import { invitationEmail, type Mailer } from "@devflow/mail";
import { AppError, forbidden, notFound } from "@devflow/util-core";
import { newInvitationToken, readInvitationToken } from "./invitation-token";
import * as repo from "./invitations.repository";
import type { InvitationRow } from "./invitations.repository";
import { assertMayGrant, audit } from "./members.service";
import * as members from "./members.repository";
import { findUserByEmail, findUserById, upsertMembership } from "./organizations.repository";

export type InvitationsService = ReturnType<typeof createInvitationsService>;

export interface InvitationsServiceOptions {
  /** Sends the invitation emails. */
  mailer: Mailer;
  /** The URL people open (`PUBLIC_URL`); links are `<publicUrl>/invite/<token>`. */
  publicUrl: string;
  /** The current time; tests move it to expire invitations. */
  now?: () => Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Inviting people by email and accepting invitations. The token goes out only in the email; the
 * database keeps its SHA-256. Accepting runs inside the inviting organization's tenant transaction,
 * found through the organization id the token carries, because the invitee is not a member yet.
 */
export function createInvitationsService(
  db: Database,
  { mailer, publicUrl, now = () => new Date() }: InvitationsServiceOptions,
) {
  const baseUrl = publicUrl.replace(/\/+$/, "");

  return {
    /**
     * Invites `email` with `role` (at most the inviter's own) and emails the link. A pending
     * invitation to the same address is revoked, so only the newest link works.
     */
    async create(ctx: RequestContext, input: CreateInvitationInput): Promise<InvitationDto> {
      assertMayGrant(ctx, input.role);
      const email = input.email.trim().toLowerCase();
      const at = now();
      const { invitation, token, organizationName, inviterName } = await db.withTenant(ctx, async (tx) => {
        const organization = await members.findOrganization(tx, ctx.organizationId);
        if (!organization) throw notFound("Organization", ctx.organizationId);
        await assertNotAMember(tx, email, organization.name);
        await revokePendingTo(tx, ctx, email, at);
        if ((await repo.countPendingInvitations(tx, at)) >= PENDING_INVITATIONS_MAX) {
          throw failure(
            "conflict",
            "invitation_limit_reached",
            `${organization.name} already has ${PENDING_INVITATIONS_MAX} pending invitations; revoke some first`,
          );
        }
        const { token, tokenHash } = newInvitationToken(ctx.organizationId);
        const row = await repo.insertInvitation(tx, {
          organizationId: ctx.organizationId,
          email,
          role: input.role,
          tokenHash,
          invitedById: ctx.actor.userId,
          expiresAt: new Date(at.getTime() + INVITATION_TTL_DAYS * DAY_MS),
        });
        await audit(tx, ctx, {
          action: "invitation.created",
          target: { type: "invitation", id: row.id },
          metadata: { email, role: row.role, expiresAt: row.expiresAt.toISOString() },
        });
        const inviter = await findUserById(tx, ctx.actor.userId);
        return {
          invitation: row,
          token,
          organizationName: organization.name,
          inviterName: inviter?.name ?? "A colleague",
        };
      });
      await sendInvitation(invitation, token, organizationName, inviterName);
      return toInvitationDto(invitation, new Map([[ctx.actor.userId, inviterName]]));
    },

    /** The invitations nobody has accepted, revoked or let expire yet, newest first. */
    async listPending(ctx: RequestContext): Promise<InvitationDto[]> {
      if (!can(ctx.actor, "members:manage")) throw forbidden("Only admins and owners can see invitations");
      return db.withTenant(ctx, async (tx) => {
        const rows = await repo.listPendingInvitations(tx, now());
        const inviters = await repo.findUsersByIds(tx, [...new Set(rows.map((r) => r.invitedById))]);
        const names = new Map(inviters.map((u) => [u.id, u.name]));
        return rows.map((row) => toInvitationDto(row, names));
      });
    },

    /** Revokes a pending invitation so its link stops working. */
    async revoke(ctx: RequestContext, invitationId: string): Promise<void> {
      if (!can(ctx.actor, "members:manage")) throw forbidden("Only admins and owners can revoke invitations");
      await db.withTenant(ctx, async (tx) => {
        const invitation = await repo.findInvitation(tx, invitationId);
        if (!invitation) throw notFound("Invitation", invitationId);
        if (invitation.role === "owner" && ctx.actor.role !== "owner") {
          throw forbidden("Only owners can revoke an invitation to become an owner");
        }
        const status = statusOf(invitation, now());
        if (status === "used")
          throw failure("conflict", "invitation_used", `Invitation ${invitationId} was already accepted`);
        if (status === "revoked")
          throw failure("conflict", "invitation_revoked", `Invitation ${invitationId} is already revoked`);
        if (!(await repo.markInvitationRevoked(tx, invitationId, now()))) {
          throw failure("conflict", "invitation_used", `Invitation ${invitationId} was accepted or revoked meanwhile`);
        }
        await audit(tx, ctx, {
          action: "invitation.revoked",
          target: { type: "invitation", id: invitationId },
          metadata: { email: invitation.email, role: invitation.role },
        });
      });
    },

    /** What the invitation page shows: which organization, which role, and whether it still works. */
    async preview(token: string): Promise<InvitationPreviewDto> {
      const found = readInvitationToken(token);
      if (!found) throw unknownInvitation();
      return db.withTenant({ organizationId: found.organizationId }, async (tx) => {
        const invitation = await repo.findInvitationByTokenHash(tx, found.tokenHash);
        const organization = invitation && (await members.findOrganization(tx, found.organizationId));
        if (!invitation || !organization) throw unknownInvitation();
        return {
          organization: { id: organization.id, slug: organization.slug, name: organization.name },
          email: invitation.email,
          role: invitation.role,
          expiresAt: invitation.expiresAt.toISOString(),
          status: statusOf(invitation, now()),
        };
      });
    },

    /**
     * Accepts the invitation for the signed-in user, whose email must be the invited one: makes them
     * a member with the invited role and marks the invitation used, in one transaction.
     */
    async accept(token: string, userId: string): Promise<MyOrganizationDto> {
      const found = readInvitationToken(token);
      if (!found) throw unknownInvitation();
      const at = now();
      return db.withTenant({ organizationId: found.organizationId }, async (tx) => {
        const invitation = await repo.findInvitationByTokenHash(tx, found.tokenHash);
        const organization = invitation && (await members.findOrganization(tx, found.organizationId));
        if (!invitation || !organization) throw unknownInvitation();
        assertUsable(invitation, at);
        const user = await findUserById(tx, userId);
        if (!user) throw new AppError("unauthenticated", "Sign in again to accept the invitation", { report: false });
        if (user.email.toLowerCase() !== invitation.email.toLowerCase()) {
          throw failure(
            "forbidden",
            "invitation_email_mismatch",
            `This invitation was sent to ${invitation.email}, but you are signed in as ${user.email}`,
          );
        }
        const existing = await members.findMembership(tx, userId);
        if (existing?.status === "active") {
          throw failure("conflict", "already_member", `You are already a member of ${organization.name}`);
        }
        if (!(await repo.markInvitationAccepted(tx, invitation.id, at))) {
          throw failure("conflict", "invitation_used", "This invitation has already been used");
        }
        await upsertMembership(tx, organization.id, userId, invitation.role);
        const actor = { type: "user" as const, userId };
        await recordAudit(tx, organization.id, {
          action: "invitation.accepted",
          actor,
          target: { type: "invitation", id: invitation.id },
          metadata: { email: invitation.email, role: invitation.role },
        });
        await recordAudit(tx, organization.id, {
          action: "member.added",
          actor,
          target: { type: "user", id: userId },
          metadata: { role: invitation.role, via: "invitation", invitationId: invitation.id },
        });
        return { ...organization, createdAt: organization.createdAt.toISOString(), role: invitation.role };
      });
    },
  };

  async function sendInvitation(
    invitation: InvitationRow,
    token: string,
    organizationName: string,
    inviterName: string,
  ) {
    const content = invitationEmail({
      url: `${baseUrl}/invite/${token}`,
      organizationName,
      inviterName,
      role: invitation.role,
      expiresAt: invitation.expiresAt,
    });
    try {
      await mailer.send({ to: invitation.email, ...content });
    } catch (error) {
      // The invitation is saved; inviting the same address again revokes it and sends a new link.
      throw new AppError(
        "unavailable",
        `The invitation to ${invitation.email} was saved, but the email could not be sent; try inviting again`,
        { cause: error, details: { invitationId: invitation.id } },
      );
    }
  }
}

async function assertNotAMember(tx: Tx, email: string, organizationName: string): Promise<void> {
  const user = await findUserByEmail(tx, email);
  const membership = user && (await members.findMembership(tx, user.id));
  if (membership?.status === "active") {
    throw failure("conflict", "already_member", `${email} is already a member of ${organizationName}`);
  }
}

async function revokePendingTo(tx: Tx, ctx: RequestContext, email: string, at: Date): Promise<void> {
  for (const { id } of await repo.listPendingInvitationsTo(tx, email, at)) {
    await repo.markInvitationRevoked(tx, id, at);
    await audit(tx, ctx, {
      action: "invitation.revoked",
      target: { type: "invitation", id },
      metadata: { email, reason: "replaced" },
    });
  }
}

function statusOf(invitation: InvitationRow, at: Date): InvitationStatus {
  if (invitation.acceptedAt) return "used";
  if (invitation.revokedAt) return "revoked";
  if (invitation.expiresAt.getTime() <= at.getTime()) return "expired";
  return "pending";
}

function assertUsable(invitation: InvitationRow, at: Date): void {
  switch (statusOf(invitation, at)) {
    case "used":
      throw failure("conflict", "invitation_used", "This invitation has already been used");
    case "revoked":
      throw failure("conflict", "invitation_revoked", "This invitation was revoked; ask for a new one");
    case "expired":
      throw failure(
        "conflict",
        "invitation_expired",
        `This invitation expired on ${invitation.expiresAt.toISOString().slice(0, 10)}; ask for a new one`,
      );
    case "pending":
      return;
  }
}

function unknownInvitation(): AppError {
  return failure(
    "not_found",
    "invitation_not_found",
    "This invitation link is not valid; check that it was copied whole",
  );
}

function failure(
  code: "not_found" | "forbidden" | "conflict",
  reason: InvitationFailureReason,
  message: string,
): AppError {
  return new AppError(code, message, { report: false, details: { reason } });
}

function toInvitationDto(row: InvitationRow, inviterNames: Map<string, string>): InvitationDto {
  const inviterName = inviterNames.get(row.invitedById);
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    invitedBy: inviterName === undefined ? null : { id: row.invitedById, name: inviterName },
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}
