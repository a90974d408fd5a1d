import { can, type Actor, type RequestContext } from "@devflow/auth";
import {
  COMMENT_QUOTE_MAX,
  COMMENT_REPLIES_PER_THREAD_MAX,
  COMMENT_THREADS_PER_DOCUMENT_MAX,
  type CommentThreadDto,
  type CommentThreadListDto,
  type CommentUserDto,
  type CreateCommentThreadInput,
  type ReplyToCommentThreadInput,
  type UpdateCommentInput,
} from "@devflow/contracts";
import type { Database, Tx } from "@devflow/db";
import { recordAudit, type AuditActorType, type AuditEntry } from "@devflow/domain-audit";
import { loadVisibleDocument } from "@devflow/domain-documents";
import { recordEvent } from "@devflow/events";
import { AppError, forbidden, notFound } from "@devflow/util-core";
import { moveAnchor, type Anchor } from "./anchor";
import { bringToHead, readOpsSince, toThreadDto, toThreadDtos, usersOf, type DocumentHeadRow } from "./comment-threads";
import * as repo from "./comments.repository";
import type { CommentRow } from "./comments.repository";
import { checkMentions } from "./mentions";

export type CommentsService = ReturnType<typeof createCommentsService>;

export interface CommentsServiceOptions {
  /** Ops read per query while moving anchors to the head. */
  opChunk?: number;
  now?: () => Date;
}

/** What a write did: the thread as it is now, and who it newly mentions. */
export interface CommentChange {
  thread: CommentThreadDto;
  /**
   * People this write mentions who were not mentioned in the comment before. They are told through
   * the `comment.created` event recorded in the same transaction (domain/notifications handles it).
   */
  mentioned: CommentUserDto[];
}

/** A deleted comment; when `commentId` is `threadId` the whole thread went with it. */
export interface CommentRemoval {
  documentId: string;
  threadId: string;
  commentId: string;
}

interface OpenDocument {
  actor: Actor;
  doc: DocumentHeadRow & { projectId: string; content: string; archivedAt: Date | null };
}

/**
 * Comment threads on documents. Anyone who can read a document may comment on it, reply, and
 * resolve or reopen its threads; authors edit their own comments; authors and admins delete them.
 * Anchors are stored at a version and moved to the head, over the ops committed since, whenever
 * threads are read; a thread whose text is deleted is kept as outdated.
 */
export function createCommentsService(db: Database, options: CommentsServiceOptions = {}) {
  const opChunk = options.opChunk ?? 500;
  const now = options.now ?? (() => new Date());

  /** The thread's comments, its anchor at the head. */
  const loadThread = async (tx: Tx, doc: DocumentHeadRow, threadId: string): Promise<CommentThreadDto> => {
    const rows = await repo.listThreadComments(tx, doc.id, threadId);
    const root = rows.find((row) => row.id === threadId);
    if (!root) throw notFound("Comment thread", threadId);
    const [moved] = await bringToHead(tx, doc, [root], opChunk);
    const replies = rows.filter((row) => row.id !== threadId);
    return toThreadDto(moved!, replies, await usersOf(tx, rows));
  };

  return {
    /** Every thread of the document with its replies, anchors at the head version, in document order. */
    async listThreads(ctx: RequestContext, documentId: string): Promise<CommentThreadListDto> {
      return db.withTenant(ctx, async (tx) => {
        const { doc } = await openDocument(tx, ctx, documentId);
        const rows = await repo.listComments(tx, documentId);
        const roots = await bringToHead(
          tx,
          doc,
          rows.filter((row) => row.parentId === null),
          opChunk,
        );
        const replies = rows.filter((row) => row.parentId !== null);
        return { documentId, version: doc.version, items: toThreadDtos(roots, replies, await usersOf(tx, rows)) };
      });
    },

    /**
     * Starts a thread on a span of the text. The span may be at an older version (the client's
     * text lags behind the head while edits arrive); it is moved to the head first, and refused
     * when its text was deleted meanwhile.
     */
    async createThread(
      ctx: RequestContext,
      documentId: string,
      input: CreateCommentThreadInput,
    ): Promise<CommentChange> {
      return db.withTenant(ctx, async (tx) => {
        const { actor, doc } = await openForWriting(tx, ctx, documentId);
        if (input.anchor.version > doc.version) {
          throw invalid(
            `Document ${documentId} is at v${doc.version}; the selection refers to v${input.anchor.version}`,
          );
        }
        if ((await repo.countThreads(tx, documentId)) >= COMMENT_THREADS_PER_DOCUMENT_MAX) {
          throw limitReached(`A document holds at most ${COMMENT_THREADS_PER_DOCUMENT_MAX} comment threads`);
        }
        const mentioned = await checkMentions(tx, ctx, doc.projectId, input.mentions);
        const anchor = await moveToHead(tx, doc, input.anchor, opChunk);
        const row = await repo.insertComment(tx, {
          organizationId: ctx.organizationId,
          documentId,
          authorId: actor.userId,
          body: input.body,
          mentions: mentioned.map((user) => user.id),
          anchorStart: anchor.from,
          anchorEnd: anchor.to,
          anchorVersion: anchor.version,
          quote: doc.content.slice(anchor.from, anchor.to).slice(0, COMMENT_QUOTE_MAX),
        });
        await auditMentions(tx, ctx, row, mentioned);
        await recordCommentCreated(tx, ctx, row, mentioned);
        return { thread: toThreadDto(row, [], await usersOf(tx, [row])), mentioned };
      });
    },

    async reply(
      ctx: RequestContext,
      documentId: string,
      threadId: string,
      input: ReplyToCommentThreadInput,
    ): Promise<CommentChange> {
      return db.withTenant(ctx, async (tx) => {
        const { actor, doc } = await openForWriting(tx, ctx, documentId);
        await findThread(tx, documentId, threadId);
        if ((await repo.countReplies(tx, threadId)) >= COMMENT_REPLIES_PER_THREAD_MAX) {
          throw limitReached(`A thread holds at most ${COMMENT_REPLIES_PER_THREAD_MAX} replies; start a new one`);
        }
        const mentioned = await checkMentions(tx, ctx, doc.projectId, input.mentions);
        const row = await repo.insertComment(tx, {
          organizationId: ctx.organizationId,
          documentId,
          parentId: threadId,
          authorId: actor.userId,
          body: input.body,
          mentions: mentioned.map((user) => user.id),
        });
        await auditMentions(tx, ctx, row, mentioned);
        await recordCommentCreated(tx, ctx, row, mentioned);
        return { thread: await loadThread(tx, doc, threadId), mentioned };
      });
    },

    /** Changes a comment's text and mentions. Only its author may, and only while they may comment. */
    async editBody(
      ctx: RequestContext,
      documentId: string,
      commentId: string,
      input: UpdateCommentInput,
    ): Promise<CommentChange> {
      return db.withTenant(ctx, async (tx) => {
        const { actor, doc } = await openForWriting(tx, ctx, documentId);
        const row = await repo.findComment(tx, documentId, commentId);
        if (!row) throw notFound("Comment", commentId);
        if (row.authorId !== actor.userId) throw forbidden("Only its author can edit a comment");
        const mentions = await checkMentions(tx, ctx, doc.projectId, input.mentions);
        const updated = await repo.updateComment(tx, commentId, {
          body: input.body,
          mentions: mentions.map((user) => user.id),
          editedAt: now(),
        });
        const mentioned = mentions.filter((user) => !row.mentions.includes(user.id));
        await auditMentions(tx, ctx, updated, mentioned);
        // Only the newly mentioned hear of an edit; the thread already heard of the comment itself.
        if (mentioned.length > 0) await recordCommentCreated(tx, ctx, updated, mentioned, { isEdit: true });
        return { thread: await loadThread(tx, doc, row.parentId ?? row.id), mentioned };
      });
    },

    /** Deletes a comment (its author, or an admin); deleting a thread's first comment deletes the thread. */
    async remove(ctx: RequestContext, documentId: string, commentId: string): Promise<CommentRemoval> {
      return db.withTenant(ctx, async (tx) => {
        const { actor } = await openDocument(tx, ctx, documentId);
        const row = await repo.findComment(tx, documentId, commentId);
        if (!row) throw notFound("Comment", commentId);
        const isOwn = row.authorId === actor.userId && can(actor, "comment:create");
        if (!isOwn && !can(actor, "comment:moderate")) {
          throw forbidden("Only its author or an admin can delete a comment");
        }
        await repo.deleteComment(tx, commentId);
        const threadId = row.parentId ?? row.id;
        await audit(tx, ctx, {
          action: "comment.deleted",
          target: { type: "comment", id: commentId },
          metadata: { documentId, threadId, isThread: row.parentId === null, authorId: row.authorId },
        });
        return { documentId, threadId, commentId };
      });
    },

    /** Marks the thread resolved; resolving a resolved thread changes nothing. */
    resolve(ctx: RequestContext, documentId: string, threadId: string): Promise<CommentChange> {
      return setStatus(ctx, documentId, threadId, "resolved");
    },

    /** Opens a resolved thread again; reopening an open thread changes nothing. */
    reopen(ctx: RequestContext, documentId: string, threadId: string): Promise<CommentChange> {
      return setStatus(ctx, documentId, threadId, "open");
    },
  };

  async function setStatus(
    ctx: RequestContext,
    documentId: string,
    threadId: string,
    status: "open" | "resolved",
  ): Promise<CommentChange> {
    return db.withTenant(ctx, async (tx) => {
      const { doc } = await openForWriting(tx, ctx, documentId);
      const root = await findThread(tx, documentId, threadId);
      if (root.status !== status) {
        await repo.updateComment(tx, threadId, { status, resolvedAt: status === "resolved" ? now() : null });
      }
      return { thread: await loadThread(tx, doc, threadId), mentioned: [] };
    });
  }
}

/**
 * The document as the actor may see it, with the actor's role read fresh from their membership
 * (a socket's token may be minutes old). Anyone who may not read it gets not_found, as for the
 * document itself.
 */
async function openDocument(tx: Tx, ctx: RequestContext, documentId: string): Promise<OpenDocument> {
  const [member] = await repo.findActiveMembers(tx, ctx.organizationId, [ctx.actor.userId]);
  if (!member) throw notFound("Document", documentId);
  const actor: Actor = { ...ctx.actor, role: member.role };
  if (!can(actor, "document:read")) throw notFound("Document", documentId);
  const doc = await loadVisibleDocument(tx, { ...ctx, actor }, documentId);
  return { actor, doc };
}

/** As `openDocument`, for writes: the actor may comment and the document is not archived. */
async function openForWriting(tx: Tx, ctx: RequestContext, documentId: string): Promise<OpenDocument> {
  const open = await openDocument(tx, ctx, documentId);
  if (!can(open.actor, "comment:create")) throw forbidden("Your access does not include commenting");
  if (open.doc.archivedAt) {
    throw new AppError("conflict", `Document ${documentId} is archived; unarchive it to comment`, { report: false });
  }
  return open;
}

async function findThread(tx: Tx, documentId: string, threadId: string): Promise<CommentRow> {
  const root = await repo.findComment(tx, documentId, threadId);
  if (!root || root.parentId !== null) throw notFound("Comment thread", threadId);
  return root;
}

/** A new thread's selection, moved from its version to the head and checked against the head's text. */
async function moveToHead(
  tx: Tx,
  doc: OpenDocument["doc"],
  selection: CreateCommentThreadInput["anchor"],
  opChunk: number,
) {
  let anchor: Anchor = { ...selection, isOutdated: false };
  await readOpsSince(tx, doc, selection.version, opChunk, (ops) => {
    anchor = moveAnchor(anchor, ops);
  });
  if (anchor.isOutdated) {
    throw new AppError("conflict", "The text you selected was deleted before the comment arrived; select it again", {
      report: false,
    });
  }
  if (anchor.to > doc.content.length) {
    throw invalid(`The selection ends at ${selection.to}, past the end of the text at v${selection.version}`);
  }
  return anchor;
}

/** Records that a comment mentions people, in the comment's own transaction. */
async function auditMentions(tx: Tx, ctx: RequestContext, row: CommentRow, mentioned: readonly CommentUserDto[]) {
  if (mentioned.length === 0) return;
  await audit(tx, ctx, {
    action: "comment.mentioned",
    target: { type: "comment", id: row.id },
    metadata: { documentId: row.documentId, threadId: row.parentId ?? row.id, userIds: mentioned.map((u) => u.id) },
  });
}

/**
 * Records `comment.created` in the comment's own transaction (the outbox), so notifications go out
 * if and only if the comment is stored. Ids only: the handler reads the text under the tenant.
 */
async function recordCommentCreated(
  tx: Tx,
  ctx: RequestContext,
  row: CommentRow,
  mentioned: readonly CommentUserDto[],
  options: { isEdit?: boolean } = {},
): Promise<void> {
  await recordEvent(tx, {
    type: "comment.created",
    organizationId: ctx.organizationId,
    data: {
      commentId: row.id,
      documentId: row.documentId,
      threadId: row.parentId ?? row.id,
      authorId: ctx.actor.userId,
      mentionedUserIds: mentioned.map((user) => user.id),
      isReply: row.parentId !== null,
      ...(options.isEdit && { isEdit: true }),
    },
  });
}

function audit(tx: Tx, ctx: RequestContext, entry: Omit<AuditEntry, "actor" | "ipAddress">): Promise<void> {
  const kind = ctx.actor.via?.kind;
  const type: AuditActorType = kind === "api_token" ? "api_token" : kind === "scim" ? "scim" : "user";
  return recordAudit(tx, ctx.organizationId, {
    ...entry,
    actor: { type, userId: ctx.actor.userId },
    ipAddress: ctx.ipAddress ?? null,
  });
}

function invalid(message: string): AppError {
  return new AppError("validation_failed", message, { report: false });
}

function limitReached(message: string): AppError {
  return new AppError("conflict", message, { report: false });
}
