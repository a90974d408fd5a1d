export { AUDIT_ACTIONS, recordAudit } from "./audit-entry";
export type { AuditAction, AuditActorType, AuditEntry } from "./audit-entry";
export { createAuditLogService } from "./audit-log.service";
export type { AuditExport, AuditLogService, AuditLogServiceOptions } from "./audit-log.service";
export { AUDIT_CSV_COLUMNS, csvField } from "./audit-csv";
