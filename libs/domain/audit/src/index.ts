export { AUDIT_ACTIONS, recordAudit } from "./audit-entry";
export type { AuditAction, AuditActorType, AuditEntry } from "./audit-entry";
