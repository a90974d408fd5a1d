import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { RequestContext } from "@devflow/auth";
import { can } from "@devflow/auth";
import {
  FILE_UPLOAD_MAX_BYTES,
  UploadFileNameSchema,
  type FileDto,
  type FileKind,
  type ListFilesQuery,
  type Page,
} from "@devflow/contracts";
import type { Database, Tx } from "@devflow/db";
import { loadVisibleProject } from "@devflow/domain-projects";
import { recordEvent } from "@devflow/events";
import { BlobTooLargeError, type BlobStore } from "@devflow/storage";
import { AppError, encodeCursor, forbidden, notFound, readCursor } from "@devflow/util-core";
import * as repo from "./files.repository";
import type { FileRow } from "./files.repository";
import { SNIFF_HEAD_BYTES, sniffUpload } from "./sniff-upload";
import { splitHead } from "./split-head";

export type FilesService = ReturnType<typeof createFilesService>;

export interface FilesServiceOptions {
  blobs: BlobStore;
  /** The largest upload accepted, in bytes (default FILE_UPLOAD_MAX_BYTES). */
  maxBytes?: number;
}

export interface UploadInput {
  name: string;
  body: Readable;
  /** The length the client announced, if any: a body announced too large is refused unread. */
  declaredBytes?: number;
}

/**
 * Files people upload into a project so the assistant can read them. The bytes go to the BlobStore
 * as they arrive (never whole in memory); the type is sniffed from the first bytes, so a renamed
 * image is refused before the rest is read. The row and its `file.uploaded` event are written in one
 * transaction once the bytes are stored; the worker does the rest. Files follow their project's
 * rules: whoever may add documents may upload, whoever may read documents may read them.
 */
export function createFilesService(db: Database, options: FilesServiceOptions) {
  const { blobs } = options;
  const maxBytes = options.maxBytes ?? FILE_UPLOAD_MAX_BYTES;

  async function loadVisibleFile(tx: Tx, ctx: RequestContext, fileId: string): Promise<FileRow> {
    const row = await repo.findFile(tx, fileId);
    if (!row || row.archivedAt || !row.projectId) throw notFound("File", fileId);
    try {
      await loadVisibleProject(tx, ctx, row.projectId);
    } catch {
      throw notFound("File", fileId);
    }
    return row;
  }

  async function toDtos(tx: Tx, rows: readonly FileRow[]): Promise<FileDto[]> {
    const names = await repo.findUserNames(tx, [...new Set(rows.flatMap((r) => (r.uploadedById ? [r.uploadedById] : [])))]);
    return rows.map((row) => toDto(row, names));
  }

  return {
    maxBytes,

    async upload(ctx: RequestContext, projectId: string, input: UploadInput): Promise<FileDto> {
      if (!can(ctx.actor, "document:create")) throw forbidden("Viewers cannot upload files");
      const parsedName = UploadFileNameSchema.safeParse(input.name);
      if (!parsedName.success) {
        throw new AppError("validation_failed", parsedName.error.issues[0]?.message ?? "Invalid file name", { report: false });
      }
      const name = parsedName.data;
      if (input.declaredBytes !== undefined && input.declaredBytes > maxBytes) throw tooLarge(maxBytes);
      // Check the project before reading a byte: nobody streams 25 MB to learn it does not exist.
      await db.withTenant(ctx, async (tx) => {
        const project = await loadVisibleProject(tx, ctx, projectId);
        if (project.archivedAt) {
          throw new AppError("conflict", "This project is archived; unarchive it to upload files", { report: false });
        }
      });

      const { head, body } = await splitHead(input.body, SNIFF_HEAD_BYTES);
      if (head.length === 0) throw new AppError("validation_failed", "The file is empty", { report: false });
      const type = await sniffUpload(head, name);
      if (!type) {
        input.body.destroy();
        throw new AppError(
          "unsupported_media_type",
          "Only PDF, Word (.docx), Markdown and plain-text files can be uploaded",
          { report: false },
        );
      }

      const id = randomUUID();
      const storageKey = `${ctx.organizationId}/files/${id}`;
      let stored;
      try {
        stored = await blobs.put(storageKey, body, { contentType: type.mime, maxBytes });
      } catch (error) {
        if (error instanceof BlobTooLargeError) throw tooLarge(maxBytes);
        throw error;
      }
      try {
        const row = await db.withTenant(ctx, async (tx) => {
          const inserted = await repo.insertFile(tx, {
            id,
            organizationId: ctx.organizationId,
            projectId,
            uploadedById: ctx.actor.userId,
            name,
            kind: type.kind,
            contentType: type.mime,
            sizeBytes: stored.size,
            sha256: stored.sha256,
            storageKey,
          });
          await recordEvent(tx, {
            type: "file.uploaded",
            organizationId: ctx.organizationId,
            data: { fileId: id, projectId, uploadedById: ctx.actor.userId },
          });
          return inserted;
        });
        return (await db.withTenant(ctx, (tx) => toDtos(tx, [row!])))[0]!;
      } catch (error) {
        // No row points at the bytes: don't keep them.
        await blobs.delete(storageKey).catch(() => undefined);
        throw error;
      }
    },

    async list(ctx: RequestContext, projectId: string, query: ListFilesQuery): Promise<Page<FileDto>> {
      const [createdAt, id] = query.cursor ? readCursor(query.cursor, ["timestamp", "uuid"]) : [];
      const after = createdAt && id ? { createdAt: new Date(createdAt), id } : undefined;
      return db.withTenant(ctx, async (tx) => {
        await loadVisibleProject(tx, ctx, projectId);
        const rows = await repo.listFiles(tx, projectId, query.limit, after);
        const items = rows.slice(0, query.limit);
        const last = items.at(-1);
        return {
          items: await toDtos(tx, items),
          nextCursor: rows.length > query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
        };
      });
    },

    async get(ctx: RequestContext, fileId: string): Promise<FileDto> {
      return db.withTenant(ctx, async (tx) => (await toDtos(tx, [await loadVisibleFile(tx, ctx, fileId)]))[0]!);
    },

    /** The stored bytes, for download, with what the response needs to describe them. */
    async openContent(ctx: RequestContext, fileId: string) {
      const row = await db.withTenant(ctx, (tx) => loadVisibleFile(tx, ctx, fileId));
      return {
        name: row.name,
        contentType: row.contentType,
        sizeBytes: Number(row.sizeBytes),
        body: await blobs.get(row.storageKey),
      };
    },

    /** Removes a file from its project and from search; the bytes are deleted with it. */
    async archive(ctx: RequestContext, fileId: string): Promise<void> {
      if (!can(ctx.actor, "document:delete")) throw forbidden("Viewers cannot remove files");
      const row = await db.withTenant(ctx, async (tx) => {
        const file = await loadVisibleFile(tx, ctx, fileId);
        await repo.archiveFile(tx, fileId);
        return file;
      });
      await blobs.delete(row.storageKey);
    },
  };
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("payload_too_large", `Files can be at most ${formatBytes(maxBytes)}`, { report: false });
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

function toDto(row: FileRow, names: Map<string, string>): FileDto {
  return {
    id: row.id,
    projectId: row.projectId!,
    name: row.name,
    kind: row.kind as FileKind,
    contentType: row.contentType,
    sizeBytes: Number(row.sizeBytes),
    status: row.status,
    stage: (row.stage as FileDto["stage"]) ?? null,
    progress: row.progress,
    error: row.error,
    errorCode: row.errorCode,
    pageCount: row.pageCount,
    chunkCount: row.chunkCount,
    uploadedBy: row.uploadedById ? { id: row.uploadedById, name: names.get(row.uploadedById) ?? "Former member" } : null,
    createdAt: row.createdAt.toISOString(),
    processedAt: row.processedAt?.toISOString() ?? null,
  };
}
