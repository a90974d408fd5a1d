import type { RequestContext } from "@devflow/auth";
import { can } from "@devflow/auth";
import { apply, parseOp, type TextOp } from "@devflow/collab-ot";
import {
  TIMELINE_SESSION_GAP_MS,
  type CreateRevisionInput,
  type DocumentDiffDto,
  type DocumentVersionDto,
  type HistoryUserDto,
  type Page,
  type RevisionDto,
  type TimelineEntryDto,
  type TimelineQuery,
} from "@devflow/contracts";
import type { Database, Tx } from "@devflow/db";
import { AppError, encodeCursor, forbidden, notFound, readCursor } from "@devflow/util-core";
import * as repo from "./document-history.repository";
import { loadVisibleDocument } from "./visible-document";
import { lineDiff } from "./line-diff";

export type DocumentHistoryService = ReturnType<typeof createDocumentHistoryService>;

export interface DocumentHistoryOptions {
  /** Ops by one person at most this far apart are one timeline entry. */
  sessionGapMs?: number;
  /** Ops read per query while grouping the timeline. */
  scanChunk?: number;
}

/** More named revisions than anyone browses; a document keeps at most this many. */
export const REVISIONS_PER_DOCUMENT_MAX = 500;

interface EntryDraft {
  userId: string | null;
  fromVersion: number;
  toVersion: number;
  opCount: number;
  startedAt: Date;
  endedAt: Date;
  charsInserted: number;
  charsDeleted: number;
}

/**
 * A document's history: the timeline of who changed what, named revisions, the text at any
 * version and line diffs between two versions. Everyone who can read the document can read its
 * history; writers name versions; admins delete names. Restoring is a new op and goes through the
 * collaboration service, so everyone connected sees it.
 */
export function createDocumentHistoryService(db: Database, options: DocumentHistoryOptions = {}) {
  const sessionGapMs = options.sessionGapMs ?? TIMELINE_SESSION_GAP_MS;
  const scanChunk = options.scanChunk ?? 500;
  const readable = async (tx: Tx, ctx: RequestContext, documentId: string) => {
    if (!can(ctx.actor, "document:read")) throw notFound("Document", documentId);
    return loadVisibleDocument(tx, ctx, documentId);
  };

  /** The text at `version`: the head row, a named revision's copy, or a snapshot plus later ops. */
  const contentAt = async (ctx: RequestContext, documentId: string, version: number): Promise<string> => {
    const known = await db.withTenant(ctx, async (tx) => {
      const doc = await readable(tx, ctx, documentId);
      if (version > doc.version) throw versionNotFound(documentId, version);
      if (version === doc.version) return doc.content;
      return repo.findRevisionContent(tx, documentId, version);
    });
    if (known !== null) return known;
    const replayed = await db.withTenant(ctx, async (tx) => {
      const snapshot = await repo.findLatestSnapshot(tx, documentId, version);
      if (!snapshot) return null;
      const ops = await repo.listOpsBetween(tx, documentId, snapshot.version, version);
      if (snapshot.version + ops.length !== version) return null;
      return ops.reduce((text, row) => apply(text, storedOp(row.version, row.op)), snapshot.content);
    });
    if (replayed === null) throw versionNotFound(documentId, version);
    return replayed;
  };

  const usersById = async (tx: Tx, userIds: Iterable<string | null>) => {
    const ids = [...new Set([...userIds].filter((id): id is string => id !== null))];
    const users = await repo.findUsers(tx, ids);
    return new Map<string, HistoryUserDto>(users.map((u) => [u.id, u]));
  };

  return {
    /**
     * Runs of edits, newest first: consecutive ops by the same person with no pause longer than
     * the session gap are one entry. Pages never split an entry; the cursor is the version the
     * last entry started at.
     */
    async timeline(ctx: RequestContext, documentId: string, query: TimelineQuery): Promise<Page<TimelineEntryDto>> {
      const before = query.cursor ? readVersionCursor(query.cursor) : undefined;
      return db.withTenant(ctx, async (tx) => {
        const doc = await readable(tx, ctx, documentId);
        const entries: EntryDraft[] = [];
        let current: EntryDraft | null = null;
        let hasMore = false;
        let below = Math.min(before ?? doc.version + 1, doc.version + 1);
        scan: for (;;) {
          const rows = await repo.listOpsBefore(tx, documentId, below, scanChunk);
          for (const row of rows) {
            const stats = opStats(row.op);
            if (
              current &&
              current.userId === row.userId &&
              current.startedAt.getTime() - row.createdAt.getTime() <= sessionGapMs
            ) {
              current.fromVersion = row.version;
              current.startedAt = row.createdAt;
              current.opCount += 1;
              current.charsInserted += stats.inserted;
              current.charsDeleted += stats.deleted;
              continue;
            }
            if (current) entries.push(current);
            if (entries.length === query.limit) {
              hasMore = true;
              current = null;
              break scan;
            }
            current = {
              userId: row.userId,
              fromVersion: row.version,
              toVersion: row.version,
              opCount: 1,
              startedAt: row.createdAt,
              endedAt: row.createdAt,
              charsInserted: stats.inserted,
              charsDeleted: stats.deleted,
            };
          }
          if (rows.length < scanChunk) break;
          below = rows.at(-1)!.version;
        }
        if (current) entries.push(current);
        const users = await usersById(
          tx,
          entries.map((e) => e.userId),
        );
        const last = entries.at(-1);
        return {
          items: entries.map((e) => ({
            baseVersion: e.fromVersion - 1,
            fromVersion: e.fromVersion,
            toVersion: e.toVersion,
            opCount: e.opCount,
            user: (e.userId && users.get(e.userId)) || null,
            startedAt: e.startedAt.toISOString(),
            endedAt: e.endedAt.toISOString(),
            charsInserted: e.charsInserted,
            charsDeleted: e.charsDeleted,
          })),
          nextCursor: hasMore && last ? encodeCursor([String(last.fromVersion)]) : null,
        };
      });
    },

    /** Named revisions, newest version first. */
    async listRevisions(ctx: RequestContext, documentId: string): Promise<{ items: RevisionDto[] }> {
      return db.withTenant(ctx, async (tx) => {
        await readable(tx, ctx, documentId);
        const rows = await repo.listRevisions(tx, documentId, REVISIONS_PER_DOCUMENT_MAX);
        const users = await usersById(
          tx,
          rows.map((r) => r.createdById),
        );
        return { items: rows.map((row) => toRevisionDto(row, users)) };
      });
    },

    /** Names the current version, or an earlier one; its text is stored with the name. */
    async createRevision(ctx: RequestContext, documentId: string, input: CreateRevisionInput): Promise<RevisionDto> {
      if (!can(ctx.actor, "document:update")) throw forbidden("Viewers cannot name versions");
      const target = await db.withTenant(ctx, async (tx) => {
        const doc = await loadVisibleDocument(tx, ctx, documentId);
        const version = input.version ?? doc.version;
        if (version > doc.version) throw versionNotFound(documentId, version);
        return { version, content: version === doc.version ? doc.content : null };
      });
      const content = target.content ?? (await contentAt(ctx, documentId, target.version));
      return db.withTenant(ctx, async (tx) => {
        await loadVisibleDocument(tx, ctx, documentId);
        if ((await repo.countRevisions(tx, documentId)) >= REVISIONS_PER_DOCUMENT_MAX) {
          throw new AppError(
            "conflict",
            `A document keeps at most ${REVISIONS_PER_DOCUMENT_MAX} named versions; delete some first`,
            { report: false },
          );
        }
        const row = await repo.insertRevision(tx, {
          organizationId: ctx.organizationId,
          documentId,
          version: target.version,
          name: input.name,
          content,
          createdById: ctx.actor.userId,
        });
        return toRevisionDto(row, await usersById(tx, [row.createdById]));
      });
    },

    /** Removes a name (the text's history stays). Admins and owners only. */
    async deleteRevision(ctx: RequestContext, documentId: string, revisionId: string): Promise<void> {
      if (!isAdmin(ctx)) throw forbidden("Only admins can delete named versions");
      await db.withTenant(ctx, async (tx) => {
        await loadVisibleDocument(tx, ctx, documentId);
        const row = await repo.findRevision(tx, documentId, revisionId);
        if (!row) throw notFound("Revision", revisionId);
        await repo.deleteRevision(tx, revisionId);
      });
    },

    async textAt(ctx: RequestContext, documentId: string, version: number): Promise<DocumentVersionDto> {
      return { documentId, version, content: await contentAt(ctx, documentId, version) };
    },

    /** A line diff from the text at `fromVersion` to the text at `toVersion` (either may be the later one). */
    async diff(
      ctx: RequestContext,
      documentId: string,
      fromVersion: number,
      toVersion: number,
    ): Promise<DocumentDiffDto> {
      const before = await contentAt(ctx, documentId, fromVersion);
      const after = fromVersion === toVersion ? before : await contentAt(ctx, documentId, toVersion);
      return { documentId, fromVersion, toVersion, ...lineDiff(before, after) };
    },
  };
}

/** Deleting history's names is an administrator's call; a token needs the admin scope for it. */
function isAdmin(ctx: RequestContext): boolean {
  return can(ctx.actor, "project:delete") && (ctx.actor.role === "admin" || ctx.actor.role === "owner");
}

/** A logged op, checked as the collab engine checks what it reads back. */
function storedOp(version: number, op: unknown): TextOp {
  const parsed = parseOp(op, { maxSize: Number.MAX_SAFE_INTEGER });
  if (!parsed.ok) throw new Error(`Stored op v${version} is not a valid op: ${parsed.error.message}`);
  return parsed.op as TextOp;
}

function versionNotFound(documentId: string, version: number): AppError {
  return new AppError("not_found", `Document ${documentId} has no version ${version}`, { report: false });
}

function readVersionCursor(cursor: string): number {
  const [value] = readCursor(cursor, ["text"]);
  const version = Number(value);
  if (!/^[1-9][0-9]{0,9}$/.test(value ?? "") || !Number.isSafeInteger(version)) {
    throw new AppError("validation_failed", "The cursor is not one this API issued", { report: false });
  }
  return version;
}

/** Characters an op inserts and deletes, in UTF-16 code units. */
function opStats(op: unknown): { inserted: number; deleted: number } {
  let inserted = 0;
  let deleted = 0;
  if (Array.isArray(op)) {
    for (const c of op) {
      if (typeof c === "string") inserted += c.length;
      else if (typeof c === "object" && c !== null && typeof (c as { d?: unknown }).d === "number") {
        deleted += (c as { d: number }).d;
      }
    }
  }
  return { inserted, deleted };
}

function toRevisionDto(
  row: { id: string; documentId: string; name: string; version: number; createdById: string | null; createdAt: Date },
  users: Map<string, HistoryUserDto>,
): RevisionDto {
  return {
    id: row.id,
    documentId: row.documentId,
    name: row.name,
    version: row.version,
    createdBy: (row.createdById && users.get(row.createdById)) || null,
    createdAt: row.createdAt.toISOString(),
  };
}
