import { AUDIT_ACTION_NAMES } from "@devflow/contracts";
import type { Tx } from "@devflow/db";

/**
 * Everything the audit log records, named `<area>.<event>`: a closed list, so the log stays
 * queryable and an export means the same thing next year. It lives in contracts so browsers can
 * offer it as a filter.
 */
export const AUDIT_ACTIONS = AUDIT_ACTION_NAMES;
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
