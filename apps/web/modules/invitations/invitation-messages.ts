import type { InvitationFailureReason, InvitationStatus } from "@devflow/contracts";

/** Why an invitation cannot be accepted, in the words of the invitation page. */
export const INVITATION_PROBLEMS: Record<InvitationFailureReason | Exclude<InvitationStatus, "pending">, string> = {
  invitation_not_found: "This invitation link is not valid. Check that you opened the whole link from the email.",
  invitation_expired: "This invitation has expired. Ask the person who invited you to send a new one.",
  expired: "This invitation has expired. Ask the person who invited you to send a new one.",
  invitation_revoked: "This invitation was revoked. Ask an admin of the organization for a new one.",
  revoked: "This invitation was revoked. Ask an admin of the organization for a new one.",
  invitation_used: "This invitation has already been used.",
  used: "This invitation has already been used.",
  invitation_email_mismatch:
    "This invitation was sent to a different email address than the one you are signed in with.",
  invitation_limit_reached: "The organization has too many pending invitations.",
  already_member: "You are already a member of this organization.",
};

/** The `details.reason` of an API error, when it is one of the invitation failures. */
export function invitationFailureOf(error: unknown): InvitationFailureReason | null {
  const reason = (error as { details?: { reason?: unknown } } | undefined)?.details?.reason;
  return typeof reason === "string" && reason in INVITATION_PROBLEMS ? (reason as InvitationFailureReason) : null;
}
