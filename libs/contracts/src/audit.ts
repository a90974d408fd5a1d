import { z } from "zod";
import { PageQuerySchema } from "./pagination";

/** The actions the audit log records (`recordAudit` in @devflow/domain-audit takes only these). */
export const AUDIT_ACTION_NAMES = [
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
  "oauth.grant_created",
  "oauth.grant_revoked",
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
  "comment.mentioned",
  "comment.deleted",
  "incident.attribution_changed",
  "repository.project_changed",
  "repository.quality_gates_changed",
  "workflow_run.retried",
] as const;
export const AuditActionSchema = z.enum(AUDIT_ACTION_NAMES);
export type AuditActionName = z.infer<typeof AuditActionSchema>;

/** Most rows one export returns; narrow the dates for more. */
export const AUDIT_EXPORT_MAX_ROWS = 50_000;

export const AuditExportFormatSchema = z.enum(["csv", "json"]);
export type AuditExportFormat = z.infer<typeof AuditExportFormatSchema>;

export const AuditLogEntrySchema = z.object({
  id: z.uuid(),
  createdAt: z.iso.datetime(),
  action: z.string(),
  /** "user", "api_token", "scim" or "system". */
  actorType: z.string(),
  /** The person behind the action, where there is one and they still exist. */
  actor: z.object({ id: z.uuid(), email: z.string().nullable(), name: z.string().nullable() }).nullable(),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  metadata: z.record(z.string(), z.unknown()),
  ipAddress: z.string().nullable(),
});
export type AuditLogEntryDto = z.infer<typeof AuditLogEntrySchema>;

/** Empty strings mean "no filter", so a form can send every field. */
const blankAsUndefined = (value: unknown) => (value === "" ? undefined : value);

/** A day (`2026-11-23`, midnight UTC) or an instant (`2026-11-23T10:00:00Z`, offsets allowed). */
const DateBoundSchema = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: "Use a date (YYYY-MM-DD) or an ISO 8601 time" })
  .transform((value) => new Date(value));

const auditLogFilterShape = {
  action: z.preprocess(blankAsUndefined, AuditActionSchema.optional()),
  actorUserId: z.preprocess(blankAsUndefined, z.uuid().optional()),
  /** Inclusive lower bound. */
  from: z.preprocess(blankAsUndefined, DateBoundSchema.optional()),
  /** Exclusive upper bound. */
  to: z.preprocess(blankAsUndefined, DateBoundSchema.optional()),
};

const boundsInOrder = (f: { from?: Date | undefined; to?: Date | undefined }) => !f.from || !f.to || f.from < f.to;
const boundsMessage = { message: "`from` must be before `to`", path: ["to"] };

export const AuditLogFilterSchema = z.object(auditLogFilterShape).refine(boundsInOrder, boundsMessage);
export type AuditLogFilter = z.infer<typeof AuditLogFilterSchema>;

export const ListAuditLogQuerySchema = PageQuerySchema.extend(auditLogFilterShape).refine(boundsInOrder, boundsMessage);
export type ListAuditLogQuery = z.infer<typeof ListAuditLogQuerySchema>;

export const ExportAuditLogQuerySchema = z
  .object({ ...auditLogFilterShape, format: AuditExportFormatSchema.default("csv") })
  .refine(boundsInOrder, boundsMessage);
export type ExportAuditLogQuery = z.infer<typeof ExportAuditLogQuerySchema>;
