import { z } from "zod";
import { PageQuerySchema } from "./pagination";

export const DOCUMENT_TITLE_MAX = 200;
/** A document's markdown is capped at 1 MB of UTF-16 code units (the editor's offsets). */
export const DOCUMENT_CONTENT_MAX = 1_000_000;

export const DOCUMENT_KINDS = ["design_doc", "rfc", "adr", "requirements", "other"] as const;
export const DocumentKindSchema = z.enum(DOCUMENT_KINDS);
export type DocumentKind = z.infer<typeof DocumentKindSchema>;

export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = {
  design_doc: "Design doc",
  rfc: "RFC",
  adr: "ADR",
  requirements: "Requirements",
  other: "Other",
};

export const DocumentStatusSchema = z.enum(["draft", "in_review", "approved", "superseded"]);
export type DocumentStatus = z.infer<typeof DocumentStatusSchema>;

export const DocumentSummarySchema = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  title: z.string(),
  kind: DocumentKindSchema,
  status: DocumentStatusSchema,
  version: z.number().int(),
  archivedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type DocumentSummaryDto = z.infer<typeof DocumentSummarySchema>;

export const DocumentSchema = DocumentSummarySchema.extend({ content: z.string() });
export type DocumentDto = z.infer<typeof DocumentSchema>;

const TitleSchema = z.string().trim().min(1, "Title is required").max(DOCUMENT_TITLE_MAX);

export const CreateDocumentInputSchema = z.object({
  title: TitleSchema,
  kind: DocumentKindSchema.default("design_doc"),
  content: z.string().max(DOCUMENT_CONTENT_MAX).default(""),
  /**
   * Start from a template ("builtin:rfc" or a saved template's id): its text, with {{title}} and
   * {{date}} filled in, replaces `content`, and its kind replaces `kind`.
   */
  templateId: z.union([z.uuid(), z.string().regex(/^builtin:[a-z_]+$/)]).optional(),
});
export type CreateDocumentInput = z.infer<typeof CreateDocumentInputSchema>;

/** Metadata changes. Text changes go through the collaboration service as operations. */
export const UpdateDocumentInputSchema = z
  .object({
    title: TitleSchema,
    kind: DocumentKindSchema,
    status: DocumentStatusSchema,
    /** Move to another project of the same organization. */
    projectId: z.uuid(),
    archived: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "Nothing to update");
export type UpdateDocumentInput = z.infer<typeof UpdateDocumentInputSchema>;

export const ListDocumentsQuerySchema = PageQuerySchema.extend({
  archived: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
});
export type ListDocumentsQuery = z.infer<typeof ListDocumentsQuerySchema>;
