import { randomUUID } from "node:crypto";
import type { RequestContext } from "@devflow/auth";
import {
  COLLAB_EVENTS,
  COLLAB_PROTOCOL_VERSION,
  COMMENT_EVENTS,
  CommentCreateSchema,
  CommentDeleteSchema,
  CommentListRequestSchema,
  CommentReplySchema,
  CommentThreadActionSchema,
  CommentUpdateSchema,
  type CommentChanged,
  type CommentDeleted,
  type CommentThreadDto,
} from "@devflow/contracts";
import type { CommentsService } from "@devflow/domain-comments";
import { REQUEST_ID_HEADER, type Logger } from "@devflow/observability";
import type { z } from "zod";
import { failure, idsOf, invalidPayload, toFailure, type FailedReply } from "./collab-errors";
import { roomOf } from "./doc-sessions";
import { createTokenBucket, type TokenBucketOptions } from "./rate-limit";
import type { CollabIo, CollabSocket } from "./socket-auth";

export interface CommentSessionsOptions {
  comments: Pick<
    CommentsService,
    "listThreads" | "createThread" | "reply" | "editBody" | "resolve" | "reopen" | "remove"
  >;
  logger: Logger;
  /** Comment requests one connection may make; by default `COMMENT_RATE_LIMIT`. */
  rateLimit?: TokenBucketOptions;
}

/** Per connection: room for a quick exchange of replies, far below anything a script could flood with. */
export const COMMENT_RATE_LIMIT: TokenBucketOptions = { burst: 20, perSecond: 2 };

type Ack = (reply: unknown) => void;

/**
 * The `comment:*` handlers. A socket comments on a document it has joined (`doc:join`); access is
 * checked afresh by the comments service on every request (membership, role, project
 * visibility), since the socket's token and its join may be minutes old. Each change is answered
 * through the ack and sent to everyone else in the document's room as `comment:changed` or
 * `comment:deleted`; the author's other tabs are in the room like anyone else.
 */
export function attachCommentSessions(io: CollabIo, options: CommentSessionsOptions): void {
  const { comments, logger } = options;

  io.on("connection", (socket) => {
    const bucket = createTokenBucket(options.rateLimit ?? COMMENT_RATE_LIMIT);
    const log = logger.child({ socketId: socket.id, userId: socket.data.principal.userId });

    /** Parses, checks the room and the budget, runs `handle`, and answers; never throws. */
    const on = <S extends z.ZodType<{ documentId: string }>>(
      event: string,
      schema: S,
      handle: (ctx: RequestContext, input: z.output<S>) => Promise<unknown>,
    ) => {
      socket.on(event, (payload: unknown, ack?: unknown) => {
        const reply = replier(socket, ack);
        const ids = idsOf(payload);
        void (async () => {
          const parsed = schema.safeParse(payload);
          if (!parsed.success) return reply(invalidPayload(event, parsed.error, ids));
          const { documentId } = parsed.data;
          if (!socket.rooms.has(roomOf(documentId))) {
            return reply(failure("validation_failed", `Join document ${documentId} before using its comments`, ids));
          }
          if (!bucket.take())
            return reply(failure("rate_limited", "Too many comment requests at once; slow down", ids));
          reply(await handle(contextOf(socket), parsed.data));
        })().catch((error: unknown) => reply(toFailure(error, log, ids)));
      });
    };

    const changed = (documentId: string, thread: CommentThreadDto) => {
      const message: CommentChanged = { v: COLLAB_PROTOCOL_VERSION, documentId, thread };
      socket.to(roomOf(documentId)).emit(COMMENT_EVENTS.changed, message);
      return { ...message, ok: true };
    };

    on(COMMENT_EVENTS.list, CommentListRequestSchema, async (ctx, { documentId }) => ({
      v: COLLAB_PROTOCOL_VERSION,
      ok: true,
      list: await comments.listThreads(ctx, documentId),
    }));

    on(COMMENT_EVENTS.create, CommentCreateSchema, async (ctx, { documentId, body, anchor, mentions }) => {
      const { thread } = await comments.createThread(ctx, documentId, { body, anchor, mentions });
      return changed(documentId, thread);
    });

    on(COMMENT_EVENTS.reply, CommentReplySchema, async (ctx, { documentId, threadId, body, mentions }) => {
      const { thread } = await comments.reply(ctx, documentId, threadId, { body, mentions });
      return changed(documentId, thread);
    });

    on(COMMENT_EVENTS.update, CommentUpdateSchema, async (ctx, { documentId, commentId, body, mentions }) => {
      const { thread } = await comments.editBody(ctx, documentId, commentId, { body, mentions });
      return changed(documentId, thread);
    });

    on(COMMENT_EVENTS.resolve, CommentThreadActionSchema, async (ctx, { documentId, threadId }) => {
      const { thread } = await comments.resolve(ctx, documentId, threadId);
      return changed(documentId, thread);
    });

    on(COMMENT_EVENTS.reopen, CommentThreadActionSchema, async (ctx, { documentId, threadId }) => {
      const { thread } = await comments.reopen(ctx, documentId, threadId);
      return changed(documentId, thread);
    });

    on(COMMENT_EVENTS.delete, CommentDeleteSchema, async (ctx, { documentId, commentId }) => {
      const removal = await comments.remove(ctx, documentId, commentId);
      const message: CommentDeleted = { v: COLLAB_PROTOCOL_VERSION, ...removal };
      socket.to(roomOf(documentId)).emit(COMMENT_EVENTS.deleted, message);
      return { ...message, ok: true };
    });
  });
}

/** Answers through the ack callback, or `collab:error` for a failure when the client gave none. */
function replier(socket: CollabSocket, ack: unknown): Ack {
  let replied = false;
  return (message) => {
    if (replied) return;
    replied = true;
    if (typeof ack === "function") (ack as Ack)(message);
    else if (isFailure(message)) {
      const { ok: _ok, ...error } = message;
      socket.emit(COLLAB_EVENTS.error, error);
    }
  };
}

function contextOf(socket: CollabSocket): RequestContext {
  const { principal } = socket.data;
  const header = socket.handshake.headers[REQUEST_ID_HEADER];
  return {
    organizationId: principal.organizationId,
    actor: { userId: principal.userId, role: principal.role },
    requestId: typeof header === "string" ? header : randomUUID(),
    ipAddress: socket.handshake.address,
  };
}

function isFailure(message: unknown): message is FailedReply {
  return typeof message === "object" && message !== null && (message as { ok?: unknown }).ok === false;
}
