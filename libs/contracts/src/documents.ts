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

/** A revision name, e.g. "Sent for review". */
export const REVISION_NAME_MAX = 200;
/** Ops by one person less than this far apart are one timeline entry. */
export const TIMELINE_SESSION_GAP_MS = 5 * 60 * 1000;

const VersionNumberSchema = z.coerce.number().int().nonnegative().max(2_147_483_647);

export const HistoryUserSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  avatarUrl: z.string().nullable(),
});
export type HistoryUserDto = z.infer<typeof HistoryUserSchema>;

/** One person's run of edits: the ops from `fromVersion` to `toVersion` (both included). */
export const TimelineEntrySchema = z.object({
  /** The version before the first op of the run. */
  baseVersion: z.number().int().nonnegative(),
  fromVersion: z.number().int().positive(),
  toVersion: z.number().int().positive(),
  opCount: z.number().int().positive(),
  /** Null for edits whose author is gone (deleted account) or that no person made. */
  user: HistoryUserSchema.nullable(),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime(),
  /** Characters inserted and deleted over the run, in UTF-16 code units as the editor counts them. */
  charsInserted: z.number().int().nonnegative(),
  charsDeleted: z.number().int().nonnegative(),
});
export type TimelineEntryDto = z.infer<typeof TimelineEntrySchema>;

export const TimelineQuerySchema = PageQuerySchema;
export type TimelineQuery = z.infer<typeof TimelineQuerySchema>;

export const RevisionSchema = z.object({
  id: z.uuid(),
  documentId: z.uuid(),
  name: z.string(),
  version: z.number().int().nonnegative(),
  createdBy: HistoryUserSchema.nullable(),
  createdAt: z.iso.datetime(),
});
export type RevisionDto = z.infer<typeof RevisionSchema>;

export const CreateRevisionInputSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(REVISION_NAME_MAX),
  /** Name an earlier version; absent names the current one. */
  version: z.number().int().nonnegative().max(2_147_483_647).optional(),
});
export type CreateRevisionInput = z.infer<typeof CreateRevisionInputSchema>;

/** The text of a document at one version. */
export const DocumentVersionSchema = z.object({
  documentId: z.uuid(),
  version: z.number().int().nonnegative(),
  content: z.string(),
});
export type DocumentVersionDto = z.infer<typeof DocumentVersionSchema>;

export const DiffQuerySchema = z.object({ from: VersionNumberSchema, to: VersionNumberSchema });
export type DiffQuery = z.infer<typeof DiffQuerySchema>;

/** One line of a hunk; `oldLine`/`newLine` are 1-based and absent on the side the line is not on. */
export const DiffLineSchema = z.object({
  kind: z.enum(["context", "insert", "delete"]),
  text: z.string(),
  oldLine: z.number().int().positive().optional(),
  newLine: z.number().int().positive().optional(),
});
export type DiffLineDto = z.infer<typeof DiffLineSchema>;

export const DiffHunkSchema = z.object({
  oldStart: z.number().int().nonnegative(),
  oldLines: z.number().int().nonnegative(),
  newStart: z.number().int().nonnegative(),
  newLines: z.number().int().nonnegative(),
  lines: z.array(DiffLineSchema),
});
export type DiffHunkDto = z.infer<typeof DiffHunkSchema>;

/** A line diff from the text at `fromVersion` to the text at `toVersion`, with 3 lines of context. */
export const DocumentDiffSchema = z.object({
  documentId: z.uuid(),
  fromVersion: z.number().int().nonnegative(),
  toVersion: z.number().int().nonnegative(),
  hunks: z.array(DiffHunkSchema),
  linesInserted: z.number().int().nonnegative(),
  linesDeleted: z.number().int().nonnegative(),
});
export type DocumentDiffDto = z.infer<typeof DocumentDiffSchema>;
