import { z } from "zod";
import { pageOf, PageQuerySchema } from "./pagination";

/** What an upload may be, decided from its content (never its name or the browser's claim). */
export const FileKindSchema = z.enum(["pdf", "docx", "markdown", "text"]);
export type FileKind = z.infer<typeof FileKindSchema>;

/** The largest file an upload may carry (bytes). */
export const FILE_UPLOAD_MAX_BYTES = 25 * 1024 * 1024;
/** A file's display name, as the uploader's browser gave it (trimmed, never used as a path). */
export const FILE_NAME_MAX_CHARS = 255;

export const FileStatusSchema = z.enum(["pending", "processing", "ready", "failed"]);
export type FileStatus = z.infer<typeof FileStatusSchema>;

/** What processing is doing while `status` is processing. */
export const FileStageSchema = z.enum(["scanning", "extracting", "indexing"]);
export type FileStage = z.infer<typeof FileStageSchema>;

/** An uploaded file and where its processing stands, as its project's members see it. */
export const FileSchema = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  name: z.string(),
  kind: FileKindSchema,
  contentType: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  status: FileStatusSchema,
  stage: FileStageSchema.nullable(),
  /** 0–100 across scanning, extraction and indexing. */
  progress: z.number().int().min(0).max(100),
  /** Why processing failed, in words for the uploader; `errorCode` for machines. */
  error: z.string().nullable(),
  errorCode: z.string().nullable(),
  pageCount: z.number().int().nullable(),
  /** Passages the assistant can search, once ready. */
  chunkCount: z.number().int().nullable(),
  uploadedBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  createdAt: z.iso.datetime(),
  processedAt: z.iso.datetime().nullable(),
});
export type FileDto = z.infer<typeof FileSchema>;

export const FilePageSchema = pageOf(FileSchema);

export const ListFilesQuerySchema = PageQuerySchema;
export type ListFilesQuery = z.infer<typeof ListFilesQuerySchema>;

/** The name part of an upload (the bytes are the request body, streamed). */
export const UploadFileNameSchema = z
  .string()
  .trim()
  .min(1, "A file needs a name")
  .max(FILE_NAME_MAX_CHARS)
  // Control characters and path separators are never part of a name people meant to give.
  .refine(
    (name) => !/[/\\]/.test(name) && ![...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f),
    "A file name cannot contain slashes or control characters",
  );
