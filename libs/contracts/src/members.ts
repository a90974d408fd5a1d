import { z } from "zod";
import { MemberRoleSchema, ORGANIZATION_NAME_MAX } from "./organizations";

/** Renames the organization; its slug (and so every URL) stays the same. */
export const UpdateOrganizationInputSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(ORGANIZATION_NAME_MAX),
});
export type UpdateOrganizationInput = z.infer<typeof UpdateOrganizationInputSchema>;

export const ChangeMemberRoleInputSchema = z.object({ role: MemberRoleSchema });
export type ChangeMemberRoleInput = z.infer<typeof ChangeMemberRoleInputSchema>;

/** Makes `userId` the owner; the current owner stays on as an admin. */
export const TransferOwnershipInputSchema = z.object({ userId: z.uuid() });
export type TransferOwnershipInput = z.infer<typeof TransferOwnershipInputSchema>;

/** RFC 5321's limit on a forward path. */
export const INVITATION_EMAIL_MAX = 254;
/** How long an invitation link works. */
export const INVITATION_TTL_DAYS = 7;
/** Pending invitations an organization may have at once; revoke or wait for some to expire. */
export const PENDING_INVITATIONS_MAX = 100;

export const CreateInvitationInputSchema = z.object({
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(INVITATION_EMAIL_MAX)
    .pipe(z.email("Enter an email address such as name@example.com")),
  role: MemberRoleSchema.default("member"),
});
export type CreateInvitationInput = z.infer<typeof CreateInvitationInputSchema>;

export const InvitationSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role: MemberRoleSchema,
  /** Null when the inviter's account no longer exists. */
  invitedBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  expiresAt: z.iso.datetime(),
  createdAt: z.iso.datetime(),
});
export type InvitationDto = z.infer<typeof InvitationSchema>;

/** The invitation link's token: `<organization id, hex>.<secret>`, as sent in the email. */
export const AcceptInvitationInputSchema = z.object({ token: z.string().min(1).max(200) });
export type AcceptInvitationInput = z.infer<typeof AcceptInvitationInputSchema>;

export const INVITATION_STATUSES = ["pending", "expired", "revoked", "used"] as const;
export const InvitationStatusSchema = z.enum(INVITATION_STATUSES);
export type InvitationStatus = z.infer<typeof InvitationStatusSchema>;

/** What the invitation page shows before the invitee accepts. */
export const InvitationPreviewSchema = z.object({
  organization: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }),
  email: z.string(),
  role: MemberRoleSchema,
  expiresAt: z.iso.datetime(),
  status: InvitationStatusSchema,
});
export type InvitationPreviewDto = z.infer<typeof InvitationPreviewSchema>;

/**
 * `details.reason` of the errors accepting or creating an invitation can fail with, so clients can
 * say exactly what went wrong without parsing messages.
 */
export const INVITATION_FAILURE_REASONS = [
  "invitation_not_found",
  "invitation_expired",
  "invitation_revoked",
  "invitation_used",
  "invitation_email_mismatch",
  "invitation_limit_reached",
  "already_member",
] as const;
export const InvitationFailureReasonSchema = z.enum(INVITATION_FAILURE_REASONS);
export type InvitationFailureReason = z.infer<typeof InvitationFailureReasonSchema>;

/** `details.reason` of the conflict raised when a change would leave the organization without an owner. */
export const LAST_OWNER_REASON = "last_owner";
