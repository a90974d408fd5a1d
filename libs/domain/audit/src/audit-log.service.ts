import type { RequestContext } from "@devflow/auth";
import { can } from "@devflow/auth";
import {
  AUDIT_EXPORT_MAX_ROWS,
  type AuditExportFormat,
  type AuditLogEntryDto,
  type AuditLogFilter,
  type ListAuditLogQuery,
  type Page,
} from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { encodeCursor, forbidden, readCursor } from "@devflow/util-core";
import { auditCsvHeader, auditCsvRow } from "./audit-csv";
import * as repo from "./audit-log.repository";
import type { AuditLogRow } from "./audit-log.repository";

export type AuditLogService = ReturnType<typeof createAuditLogService>;

/** Rows read per transaction while exporting; keeps each transaction short. */
const EXPORT_BATCH = 1_000;

export interface AuditExport {
  contentType: string;
  /** A download name such as `audit-log-2026-11-23.csv`. */
  filename: string;
  /** The file, in pieces, read batch by batch as the consumer pulls. */
  chunks: AsyncIterable<string>;
}

export interface AuditLogServiceOptions {
  /** Most rows an export writes; defaults to AUDIT_EXPORT_MAX_ROWS. */
  exportMaxRows?: number;
  /** Rows per read while exporting. */
  exportBatchSize?: number;
}

/** Reading the organization's audit log: admins and owners only, newest first. */
export function createAuditLogService(db: Database, options: AuditLogServiceOptions = {}) {
  const exportMaxRows = options.exportMaxRows ?? AUDIT_EXPORT_MAX_ROWS;
  const exportBatchSize = options.exportBatchSize ?? EXPORT_BATCH;

  /** One page of entries after `before`, with the people behind them, in one transaction. */
  function readPage(ctx: RequestContext, filter: AuditLogFilter, limit: number, before?: repo.AuditLogCursor) {
    return db.withTenant(ctx, async (tx) => {
      const rows = await repo.listEntries(tx, filter, limit, before);
      const actorIds = [...new Set(rows.flatMap((r) => (r.actorUserId ? [r.actorUserId] : [])))];
      const users = new Map((await repo.findUsers(tx, actorIds)).map((u) => [u.id, u]));
      return { rows, items: rows.map((row) => toAuditLogEntryDto(row, users)) };
    });
  }

  return {
    async list(ctx: RequestContext, query: ListAuditLogQuery): Promise<Page<AuditLogEntryDto>> {
      assertReadsAudit(ctx);
      const [createdAt, id] = query.cursor ? readCursor(query.cursor, ["timestamp", "uuid"]) : [];
      const before = createdAt && id ? { createdAt: new Date(createdAt), id } : undefined;
      const { rows, items } = await readPage(ctx, query, query.limit + 1, before);
      const page = items.slice(0, query.limit);
      const last = rows[query.limit - 1];
      return {
        items: page,
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
      };
    },

    /**
     * The filtered log as CSV or JSON, newest first, at most `AUDIT_EXPORT_MAX_ROWS` rows. Permission
     * is checked here, before anything is sent; the rows are read in batches as the file streams.
     */
    async export(ctx: RequestContext, filter: AuditLogFilter, format: AuditExportFormat): Promise<AuditExport> {
      assertReadsAudit(ctx);
      const day = new Date().toISOString().slice(0, 10);
      const entries = readAll(ctx, filter);
      return format === "csv"
        ? { contentType: "text/csv; charset=utf-8", filename: `audit-log-${day}.csv`, chunks: csvChunks(entries) }
        : {
            contentType: "application/json; charset=utf-8",
            filename: `audit-log-${day}.json`,
            chunks: jsonChunks(entries),
          };
    },
  };

  async function* readAll(ctx: RequestContext, filter: AuditLogFilter): AsyncGenerator<AuditLogEntryDto[]> {
    let before: repo.AuditLogCursor | undefined;
    let remaining = exportMaxRows;
    while (remaining > 0) {
      const { rows, items } = await readPage(ctx, filter, Math.min(exportBatchSize, remaining), before);
      if (items.length > 0) yield items;
      const last = rows.at(-1);
      if (!last || rows.length < Math.min(exportBatchSize, remaining)) return;
      remaining -= rows.length;
      before = { createdAt: last.createdAt, id: last.id };
    }
  }
}

function assertReadsAudit(ctx: RequestContext): void {
  if (!can(ctx.actor, "audit:read")) throw forbidden("Only admins and owners can read the audit log");
}

async function* csvChunks(batches: AsyncIterable<AuditLogEntryDto[]>): AsyncGenerator<string> {
  yield auditCsvHeader();
  for await (const batch of batches) yield batch.map(auditCsvRow).join("");
}

async function* jsonChunks(batches: AsyncIterable<AuditLogEntryDto[]>): AsyncGenerator<string> {
  let separator = "\n";
  yield "[";
  for await (const batch of batches) {
    let chunk = "";
    for (const entry of batch) {
      chunk += separator + JSON.stringify(entry);
      separator = ",\n";
    }
    yield chunk;
  }
  yield separator === "\n" ? "]\n" : "\n]\n";
}

type UserSummary = { id: string; email: string; name: string };

function toAuditLogEntryDto(row: AuditLogRow, users: ReadonlyMap<string, UserSummary>): AuditLogEntryDto {
  const user = row.actorUserId ? users.get(row.actorUserId) : undefined;
  const metadata = row.metadata;
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    action: row.action,
    actorType: row.actorType,
    actor: row.actorUserId ? { id: row.actorUserId, email: user?.email ?? null, name: user?.name ?? null } : null,
    target: row.targetType && row.targetId ? { type: row.targetType, id: row.targetId } : null,
    metadata:
      metadata && typeof metadata === "object" && !Array.isArray(metadata) ? (metadata as Record<string, unknown>) : {},
    ipAddress: row.ipAddress,
  };
}
