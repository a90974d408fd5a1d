import { z } from "zod";
import { COLLAB_PROTOCOL_VERSION, CollabErrorSchema } from "./collab";

/**
 * Comments on documents: threads anchored to a span of the text, replies, @mentions, resolve and
 * reopen. Reads are REST (`GET /api/v1/documents/:id/comments`) and the `comment:list` socket
 * event; writes go through the collab socket so that everyone in the document sees them at once.
 * Socket payloads carry `v` like the rest of the collab protocol and only ever gain optional fields.
 */
export const COMMENT_EVENTS = {
  /** client → server, acknowledged with `CommentListReply`: every thread, anchors at the head version. */
  list: "comment:list",
  /** client → server, acknowledged with `CommentThreadReply`. */
  create: "comment:create",
  /** client → server, acknowledged with `CommentThreadReply`. */
  reply: "comment:reply",
  /** client → server: the author changes a comment's text; acknowledged with `CommentThreadReply`. */
  update: "comment:update",
  /** client → server, acknowledged with `CommentThreadReply`. */
  resolve: "comment:resolve",
  /** client → server, acknowledged with `CommentThreadReply`. */
  reopen: "comment:reopen",
  /** client → server, acknowledged with `CommentDeletedReply`. Deleting a thread's first comment deletes the thread. */
  delete: "comment:delete",
  /**
   * server → everyone else in the document's room (the sending socket has it in its ack; the
   * author's other tabs get it here): the thread as it is now.
   */
  changed: "comment:changed",
  /** server → everyone else in the document's room, as for `changed`. */
  deleted: "comment:deleted",
} as const;
export type CommentEventName = (typeof COMMENT_EVENTS)[keyof typeof COMMENT_EVENTS];

/** Longest comment, in UTF-16 code units; forms and the server share it. */
export const COMMENT_BODY_MAX = 10_000;
/** How much of the anchored text a thread keeps to show once that text is gone. */
export const COMMENT_QUOTE_MAX = 1_000;
/** People one comment may mention. */
export const COMMENT_MENTIONS_MAX = 20;
/** Threads one document holds at most: the list is never paginated, so it stays bounded. */
export const COMMENT_THREADS_PER_DOCUMENT_MAX = 500;
/** Replies one thread holds at most. */
export const COMMENT_REPLIES_PER_THREAD_MAX = 200;

const ProtocolVersionSchema = z.literal(COLLAB_PROTOCOL_VERSION);
const VersionSchema = z.number().int().nonnegative();
const OffsetSchema = z.number().int().nonnegative();

export const CommentStatusSchema = z.enum(["open", "resolved"]);
export type CommentStatus = z.infer<typeof CommentStatusSchema>;

/** A span of the document's text at `version`, in UTF-16 code units (CodeMirror positions). */
export const CommentAnchorSchema = z
  .object({
    from: OffsetSchema,
    to: OffsetSchema,
    /** The server version the offsets refer to. */
    version: VersionSchema,
  })
  .refine((anchor) => anchor.from <= anchor.to, "An anchor's `from` must not come after its `to`");
export type CommentAnchorDto = z.infer<typeof CommentAnchorSchema>;

/** A new thread's anchor must cover some text. */
const NewAnchorSchema = CommentAnchorSchema.refine(
  (anchor) => anchor.from < anchor.to,
  "Select some text to comment on",
);

const BodySchema = z
  .string()
  .trim()
  .min(1, "Write something")
  .max(COMMENT_BODY_MAX, `A comment holds at most ${COMMENT_BODY_MAX} characters`);

/** Members the comment @mentions, by user id; they must be able to read the document. */
const MentionsSchema = z
  .array(z.uuid())
  .max(COMMENT_MENTIONS_MAX, `A comment may mention at most ${COMMENT_MENTIONS_MAX} people`)
  .default([])
  .transform((ids) => [...new Set(ids)]);

export const CommentUserSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  avatarUrl: z.string().nullable(),
});
export type CommentUserDto = z.infer<typeof CommentUserSchema>;

export const CommentSchema = z.object({
  id: z.uuid(),
  /** Null once the author's account no longer exists. */
  author: CommentUserSchema.nullable(),
  body: z.string(),
  mentions: z.array(CommentUserSchema),
  createdAt: z.iso.datetime(),
  /** When the author last changed the text; null if never. */
  editedAt: z.iso.datetime().nullable(),
});
export type CommentDto = z.infer<typeof CommentSchema>;

/**
 * A thread: its first comment (whose id is the thread's), the replies in order, and where it is
 * in the text. An outdated thread's anchored text was deleted: `anchor` is the empty span where
 * it used to be, and `quote` shows what it was.
 */
export const CommentThreadSchema = z.object({
  id: z.uuid(),
  documentId: z.uuid(),
  status: CommentStatusSchema,
  anchor: CommentAnchorSchema,
  isOutdated: z.boolean(),
  /** The anchored text when the thread was started (cut at `COMMENT_QUOTE_MAX`). */
  quote: z.string(),
  resolvedAt: z.iso.datetime().nullable(),
  /** The first comment, then the replies, oldest first. */
  comments: z.array(CommentSchema).min(1),
  createdAt: z.iso.datetime(),
  /** The latest change to any of its comments, its status or its anchor. */
  updatedAt: z.iso.datetime(),
});
export type CommentThreadDto = z.infer<typeof CommentThreadSchema>;

/** Every thread of a document, anchors at `version` (the head when read), in document order. */
export const CommentThreadListSchema = z.object({
  documentId: z.uuid(),
  version: VersionSchema,
  items: z.array(CommentThreadSchema),
});
export type CommentThreadListDto = z.infer<typeof CommentThreadListSchema>;

export const CreateCommentThreadInputSchema = z.object({
  body: BodySchema,
  /** The selection at the version the client's text is on; the server moves it to the head. */
  anchor: NewAnchorSchema,
  mentions: MentionsSchema,
});
export type CreateCommentThreadInput = z.infer<typeof CreateCommentThreadInputSchema>;

export const ReplyToCommentThreadInputSchema = z.object({ body: BodySchema, mentions: MentionsSchema });
export type ReplyToCommentThreadInput = z.infer<typeof ReplyToCommentThreadInputSchema>;

export const UpdateCommentInputSchema = z.object({ body: BodySchema, mentions: MentionsSchema });
export type UpdateCommentInput = z.infer<typeof UpdateCommentInputSchema>;

// ───────────────────────────── socket payloads ─────────────────────────────

const DocumentScoped = { v: ProtocolVersionSchema, documentId: z.uuid() };

export const CommentListRequestSchema = z.object(DocumentScoped);
export type CommentListRequest = z.infer<typeof CommentListRequestSchema>;

export const CommentCreateSchema = CreateCommentThreadInputSchema.extend(DocumentScoped);
export type CommentCreate = z.input<typeof CommentCreateSchema>;

export const CommentReplySchema = ReplyToCommentThreadInputSchema.extend({ ...DocumentScoped, threadId: z.uuid() });
export type CommentReply = z.input<typeof CommentReplySchema>;

export const CommentUpdateSchema = UpdateCommentInputSchema.extend({ ...DocumentScoped, commentId: z.uuid() });
export type CommentUpdate = z.input<typeof CommentUpdateSchema>;

/** `comment:resolve` and `comment:reopen`. */
export const CommentThreadActionSchema = z.object({ ...DocumentScoped, threadId: z.uuid() });
export type CommentThreadAction = z.infer<typeof CommentThreadActionSchema>;

export const CommentDeleteSchema = z.object({ ...DocumentScoped, commentId: z.uuid() });
export type CommentDelete = z.infer<typeof CommentDeleteSchema>;

/** `comment:changed`, and the successful answer to a write. */
export const CommentChangedSchema = z.object({ ...DocumentScoped, thread: CommentThreadSchema });
export type CommentChanged = z.infer<typeof CommentChangedSchema>;

/** `comment:deleted`: a reply went, or the whole thread when `commentId` is `threadId`. */
export const CommentDeletedSchema = z.object({ ...DocumentScoped, threadId: z.uuid(), commentId: z.uuid() });
export type CommentDeleted = z.infer<typeof CommentDeletedSchema>;

const FailedSchema = CollabErrorSchema.extend({ ok: z.literal(false) });

export const CommentListReplySchema = z.discriminatedUnion("ok", [
  z.object({ v: ProtocolVersionSchema, ok: z.literal(true), list: CommentThreadListSchema }),
  FailedSchema,
]);
export type CommentListReply = z.infer<typeof CommentListReplySchema>;

export const CommentThreadReplySchema = z.discriminatedUnion("ok", [
  CommentChangedSchema.extend({ ok: z.literal(true) }),
  FailedSchema,
]);
export type CommentThreadReply = z.infer<typeof CommentThreadReplySchema>;

export const CommentDeletedReplySchema = z.discriminatedUnion("ok", [
  CommentDeletedSchema.extend({ ok: z.literal(true) }),
  FailedSchema,
]);
export type CommentDeletedReply = z.infer<typeof CommentDeletedReplySchema>;
