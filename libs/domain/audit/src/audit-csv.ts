import type { AuditLogEntryDto } from "@devflow/contracts";

/** The export's columns, in order; the header row uses these names. */
export const AUDIT_CSV_COLUMNS = [
  "time",
  "action",
  "actor_type",
  "actor_user_id",
  "actor_email",
  "actor_name",
  "target_type",
  "target_id",
  "ip_address",
  "metadata",
] as const;

/*
 * Spreadsheets run a cell that starts with one of these as a formula (CSV injection, OWASP). Tab and
 * carriage return count too: some programs strip them and then read what follows.
 */
const FORMULA_TRIGGERS = new Set(["=", "+", "-", "@", "\t", "\r"]);

/**
 * One CSV field per RFC 4180 (quoted when it holds a comma, quote or line break; quotes doubled),
 * with a leading `'` on anything a spreadsheet would run as a formula. Audit data is partly chosen
 * by users (token names, emails), so an export must never execute when opened.
 */
export function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "";
  const safe = FORMULA_TRIGGERS.has(value.charAt(0)) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvRow(fields: readonly (string | null | undefined)[]): string {
  return `${fields.map(csvField).join(",")}\r\n`;
}

export function auditCsvHeader(): string {
  return csvRow(AUDIT_CSV_COLUMNS);
}

export function auditCsvRow(entry: AuditLogEntryDto): string {
  return csvRow([
    entry.createdAt,
    entry.action,
    entry.actorType,
    entry.actor?.id,
    entry.actor?.email,
    entry.actor?.name,
    entry.target?.type,
    entry.target?.id,
    entry.ipAddress,
    Object.keys(entry.metadata).length > 0 ? JSON.stringify(entry.metadata) : "",
  ]);
}
