import type { RequestContext } from "@devflow/auth";
import { can } from "@devflow/auth";
import type {
  CreateDocumentInput,
  DocumentDto,
  DocumentSummaryDto,
  ListDocumentsQuery,
  Page,
  UpdateDocumentInput,
} from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { loadVisibleProject } from "@devflow/domain-projects";
import { recordEvent } from "@devflow/events";
import { AppError, encodeCursor, forbidden, notFound, readCursor } from "@devflow/util-core";
import { createDocumentHistoryService } from "./document-history.service";
import * as repo from "./documents.repository";
import type { DocumentSummaryRow } from "./documents.repository";
import { loadVisibleDocument } from "./visible-document";

export type DocumentsService = ReturnType<typeof createDocumentsService>;

/** Who may join a document's live session, and how: the answer to `openSession`. */
export interface DocumentSession {
  documentId: string;
  organizationId: string;
  /** False for viewers and archived documents: their ops are refused. */
  canEdit: boolean;
  /** How the member appears in presence. */
  user: { id: string; name: string; avatarUrl: string | null };
}

/**
 * Documents' lifecycle and metadata: list, read, create, rename, move, archive, delete. Text
 * changes are operations and go through the collaboration engine, not through `update`.
 */
export function createDocumentsService(db: Database) {
  return {
    /** Timeline, named revisions, the text at a version and diffs. */
    history: createDocumentHistoryService(db),

    async list(ctx: RequestContext, projectId: string, query: ListDocumentsQuery): Promise<Page<DocumentSummaryDto>> {
      const [updatedAt, id] = query.cursor ? readCursor(query.cursor, ["timestamp", "uuid"]) : [];
      const after = updatedAt && id ? { updatedAt: new Date(updatedAt), id } : undefined;
      const rows = await db.withTenant(ctx, async (tx) => {
        await loadVisibleProject(tx, ctx, projectId);
        return repo.listDocuments(tx, projectId, query.archived, query.limit, after);
      });
      const items = rows.slice(0, query.limit);
      const last = items.at(-1);
      return {
        items: items.map(toSummaryDto),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.updatedAt.toISOString(), last.id]) : null,
      };
    },

    async get(ctx: RequestContext, documentId: string): Promise<DocumentDto> {
      const row = await db.withTenant(ctx, (tx) => loadVisibleDocument(tx, ctx, documentId));
      return { ...toSummaryDto(row), content: row.content };
    },

    /**
     * Checks that the actor may open the document's live session: an active member of the
     * organization (the role is read fresh, not taken from a token minted minutes ago) who can see
     * the document's project. Anything else is not_found, as for `get`.
     */
    async openSession(ctx: RequestContext, documentId: string): Promise<DocumentSession> {
      return db.withTenant(ctx, async (tx) => {
        const member = await repo.findActiveMember(tx, ctx.organizationId, ctx.actor.userId);
        if (!member) throw notFound("Document", documentId);
        const actor = { ...ctx.actor, role: member.role };
        const row = await loadVisibleDocument(tx, { ...ctx, actor }, documentId);
        return {
          documentId: row.id,
          organizationId: ctx.organizationId,
          canEdit: can(actor, "document:update") && row.archivedAt === null,
          user: member.user,
        };
      });
    },

    async create(ctx: RequestContext, projectId: string, input: CreateDocumentInput): Promise<DocumentDto> {
      if (!can(ctx.actor, "document:create")) throw forbidden("Viewers cannot create documents");
      const row = await db.withTenant(ctx, async (tx) => {
        const project = await loadVisibleProject(tx, ctx, projectId);
        if (project.archivedAt) throw archivedProject(projectId);
        const created = await repo.insertDocument(tx, {
          organizationId: ctx.organizationId,
          projectId,
          title: input.title,
          kind: input.kind,
          content: input.content,
          createdById: ctx.actor.userId,
          updatedById: ctx.actor.userId,
        });
        await recordEvent(tx, {
          type: "document.created",
          organizationId: ctx.organizationId,
          data: { documentId: created.id, projectId, title: created.title, createdById: ctx.actor.userId },
        });
        return created;
      });
      return { ...toSummaryDto(row), content: row.content };
    },

    async update(ctx: RequestContext, documentId: string, input: UpdateDocumentInput): Promise<DocumentSummaryDto> {
      if (!can(ctx.actor, "document:update")) throw forbidden("Viewers cannot change documents");
      const row = await db.withTenant(ctx, async (tx) => {
        const current = await loadVisibleDocument(tx, ctx, documentId);
        if (input.projectId !== undefined && input.projectId !== current.projectId) {
          const target = await loadVisibleProject(tx, ctx, input.projectId);
          if (target.archivedAt) throw archivedProject(input.projectId);
        }
        const updated = await repo.updateDocument(tx, documentId, {
          ...(input.title !== undefined && { title: input.title }),
          ...(input.kind !== undefined && { kind: input.kind }),
          ...(input.status !== undefined && { status: input.status }),
          ...(input.projectId !== undefined && { projectId: input.projectId }),
          ...(input.archived !== undefined && { archivedAt: input.archived ? new Date() : null }),
          updatedById: ctx.actor.userId,
        });
        if (input.archived === true && !current.archivedAt) {
          await recordEvent(tx, {
            type: "document.archived",
            organizationId: ctx.organizationId,
            data: { documentId, projectId: updated.projectId, archivedById: ctx.actor.userId },
          });
        }
        return updated;
      });
      return toSummaryDto(row);
    },

    async remove(ctx: RequestContext, documentId: string): Promise<void> {
      if (!can(ctx.actor, "document:delete")) throw forbidden("Viewers cannot delete documents");
      await db.withTenant(ctx, async (tx) => {
        await loadVisibleDocument(tx, ctx, documentId);
        await repo.deleteDocument(tx, documentId);
      });
    },
  };
}

function archivedProject(projectId: string): AppError {
  return new AppError("conflict", `Project ${projectId} is archived; unarchive it to add documents`, {
    report: false,
  });
}

function toSummaryDto(row: DocumentSummaryRow): DocumentSummaryDto {
  return {
    id: row.id,
    projectId: row.projectId,
    title: row.title,
    kind: row.kind,
    status: row.status,
    version: row.version,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
