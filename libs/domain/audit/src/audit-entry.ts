import type { Tx } from "@devflow/db";

/**
 * Everything the audit log records, named `<area>.<event>`. A closed list so the log stays
 * queryable and an export means the same thing next year.
 */
export const AUDIT_ACTIONS = [
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.sign_out",
  "organization.created",
  "organization.renamed",
  "organization.sso_enforced",
  "organization.sso_unenforced",
  "member.added",
  "member.role_changed",
  "member.removed",
  "member.deactivated",
  "member.reactivated",
  "organization.ownership_transferred",
  "invitation.created",
  "invitation.accepted",
  "invitation.revoked",
  "sso.connection_created",
  "sso.connection_updated",
  "sso.connection_deleted",
  "sso.domain_added",
  "sso.domain_verified",
  "sso.domain_removed",
  "api_token.created",
  "api_token.revoked",
  "scim.token_created",
  "scim.token_revoked",
  "scim.user_created",
  "scim.user_updated",
  "scim.user_deactivated",
  "scim.group_created",
  "scim.group_updated",
  "scim.group_deleted",
  "project.visibility_changed",
  "project.access_changed",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditActorType = "user" | "api_token" | "scim" | "system";

export interface AuditEntry {
  action: AuditAction;
  actor: { type: AuditActorType; userId?: string | null };
  target?: { type: string; id: string };
  /** Small, non-secret facts (old and new role, token name…). Never tokens, secrets or passwords. */
  metadata?: Record<string, unknown>;
  ipAddress?: string | null;
}

/**
 * Appends one entry to the organization's audit log. Call it with the transaction of the change it
 * describes, so a change is never committed without its record (nor a record without its change).
 */
export async function recordAudit(tx: Tx, organizationId: string, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      organizationId,
      action: entry.action,
      actorType: entry.actor.type,
      actorUserId: entry.actor.userId ?? null,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      metadata: (entry.metadata ?? {}) as object,
      ipAddress: entry.ipAddress ?? null,
    },
  });
}
