import type { RequestContext } from "@devflow/auth";
import type { DocumentSummaryDto } from "@devflow/contracts";
import type { DocumentsService } from "@devflow/domain-documents";
import type { ProjectsService } from "@devflow/domain-projects";
import { AppError, isUuid } from "@devflow/util-core";
import type { Resource, ResourceTemplate } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

/** `devflow://documents/{id}`: every document the caller can read, as markdown. */
export const DOCUMENT_URI_TEMPLATE = "devflow://documents/{id}";
const DOCUMENT_URI = /^devflow:\/\/documents\/([0-9a-f-]{36})$/i;
/** Documents per resources/list page. */
export const DOCUMENT_RESOURCES_PAGE = 50;
const PROJECTS_PAGE = 100;

export const documentTemplate: ResourceTemplate = {
  uriTemplate: DOCUMENT_URI_TEMPLATE,
  name: "document",
  title: "DevFlow document",
  description: "A document of the workspace as markdown, at its current version. Read-only; change it with edit_doc.",
  mimeType: "text/markdown",
};

/** Where a listing stopped: a projects page, a project in it, and that project's documents cursor. */
const CursorSchema = z.object({
  p: z.string().max(200).nullable(),
  i: z.number().int().min(0).max(PROJECTS_PAGE),
  d: z.string().max(200).nullable(),
});
type Cursor = z.infer<typeof CursorSchema>;

export interface DocumentResourceServices {
  documents: DocumentsService;
  projects: ProjectsService;
}

/**
 * The documents resource, paged over the projects the caller can see (by name) and each project's
 * documents (latest edited first), through the same services as the REST API, so what is listed
 * is exactly what the caller may read.
 */
export function createDocumentResources({ documents, projects }: DocumentResourceServices) {
  return {
    async list(
      ctx: RequestContext,
      rawCursor: string | undefined,
    ): Promise<{ resources: Resource[]; nextCursor?: string }> {
      let cursor = rawCursor ? readCursor(rawCursor) : { p: null, i: 0, d: null };
      const resources: Resource[] = [];
      for (;;) {
        const page = await projects.list(ctx, {
          limit: PROJECTS_PAGE,
          archived: false,
          ...(cursor.p && { cursor: cursor.p }),
        });
        const project = page.items[cursor.i];
        if (!project) {
          if (!page.nextCursor) return { resources };
          cursor = { p: page.nextCursor, i: 0, d: null };
          continue;
        }
        const docs = await documents.list(ctx, project.id, {
          limit: DOCUMENT_RESOURCES_PAGE - resources.length,
          archived: false,
          ...(cursor.d && { cursor: cursor.d }),
        });
        resources.push(...docs.items.map((doc) => toResource(doc, project.name)));
        cursor = docs.nextCursor ? { ...cursor, d: docs.nextCursor } : { ...cursor, i: cursor.i + 1, d: null };
        if (resources.length >= DOCUMENT_RESOURCES_PAGE) return { resources, nextCursor: writeCursor(cursor) };
      }
    },

    /** The document's current markdown; not_found for an unknown URI or a document the caller cannot see. */
    async read(ctx: RequestContext, uri: string) {
      const id = DOCUMENT_URI.exec(uri)?.[1];
      if (!id || !isUuid(id)) throw new AppError("not_found", `No resource ${uri.slice(0, 200)}`, { report: false });
      const doc = await documents.get(ctx, id);
      return {
        contents: [
          {
            uri: documentUri(doc.id),
            mimeType: "text/markdown",
            text: doc.content,
            _meta: { title: doc.title, version: doc.version },
          },
        ],
      };
    },
  };
}

export function documentUri(documentId: string): string {
  return `devflow://documents/${documentId}`;
}

function toResource(doc: DocumentSummaryDto, projectName: string): Resource {
  return {
    uri: documentUri(doc.id),
    name: doc.title,
    title: doc.title,
    description: `${projectName} · version ${doc.version} · updated ${doc.updatedAt}`,
    mimeType: "text/markdown",
  };
}

function writeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

function readCursor(raw: string): Cursor {
  try {
    return CursorSchema.parse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
  } catch {
    throw new AppError("validation_failed", "The cursor is not one this server issued", { report: false });
  }
}
