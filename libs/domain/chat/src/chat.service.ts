import type { RequestContext } from "@devflow/auth";
import {
  CHAT_ANSWER_MAX,
  CHAT_MESSAGE_MAX,
  CHAT_MESSAGES_PER_SESSION_MAX,
  CHAT_SESSIONS_PER_USER_MAX,
  CHAT_TITLE_MAX,
  CitationSchema,
  ToolActivitySchema,
  type ChatMessageDto,
  type CitationDto,
  type ConversationDetailDto,
  type ConversationDto,
  type CreateConversationInput,
  type ListConversationsQuery,
  type Page,
  type ToolActivityDto,
  type UpdateConversationInput,
} from "@devflow/contracts";
import type { Database, Prisma, Tx } from "@devflow/db";
import { AppError, encodeCursor, notFound, readCursor } from "@devflow/util-core";
import { z } from "zod";
import * as repo from "./chat.repository";
import type { MessageRow, SessionRow } from "./chat.repository";

export type ChatService = ReturnType<typeof createChatService>;

/** The title a conversation has until its first question names it. */
export const DEFAULT_CONVERSATION_TITLE = "New conversation";

/** A message to store: the person's question or the assistant's finished answer. */
export interface MessageDraft {
  role: "user" | "assistant";
  content: string;
  citations?: readonly CitationDto[];
  tools?: readonly ToolActivityDto[];
  /** The model that wrote an assistant message. */
  model?: string | null;
}

/** What storing a message did: the message, and the conversation as it is now (its title may be new). */
export interface MessageAdded {
  message: ChatMessageDto;
  conversation: ConversationDto;
}

/**
 * Assistant conversations. Each belongs to one person in one organization and nobody else ever
 * sees it, admins included: row-level security keeps organizations apart, and every query here
 * names the user. Someone else's conversation does not exist (not_found), as for hidden documents.
 */
export function createChatService(db: Database) {
  /** Opens a unit of work as an active member; a removed member's still-valid token gets nothing. */
  const asMember = <T>(ctx: RequestContext, fn: (tx: Tx) => Promise<T>, missing: () => AppError): Promise<T> =>
    db.withTenant(ctx, async (tx) => {
      if (!(await repo.isActiveMember(tx, ctx.organizationId, ctx.actor.userId))) throw missing();
      return fn(tx);
    });
  const conversationMissing = (id: string) => () => notFound("Conversation", id);
  const findOwn = async (tx: Tx, ctx: RequestContext, id: string): Promise<SessionRow> => {
    const row = await repo.findSession(tx, ctx.actor.userId, id);
    if (!row) throw notFound("Conversation", id);
    return row;
  };

  return {
    /** The person's conversations, most recently active first. */
    async list(ctx: RequestContext, query: ListConversationsQuery): Promise<Page<ConversationDto>> {
      const after = query.cursor ? readSessionCursor(query.cursor) : undefined;
      return asMember(
        ctx,
        async (tx) => {
          const rows = await repo.listSessions(tx, ctx.actor.userId, query.limit + 1, after);
          const page = rows.slice(0, query.limit);
          const last = page.at(-1);
          return {
            items: page.map(toConversationDto),
            nextCursor:
              rows.length > query.limit && last ? encodeCursor([last.updatedAt.toISOString(), last.id]) : null,
          };
        },
        () => new AppError("forbidden", "You are not a member of this organization any more", { report: false }),
      );
    },

    /** One conversation with its messages, oldest first. */
    get(ctx: RequestContext, id: string): Promise<ConversationDetailDto> {
      return asMember(
        ctx,
        async (tx) => {
          const row = await findOwn(tx, ctx, id);
          const messages = await repo.listRecentMessages(tx, id, CHAT_MESSAGES_PER_SESSION_MAX);
          return { ...toConversationDto(row), messages: messages.map(toMessageDto) };
        },
        conversationMissing(id),
      );
    },

    create(ctx: RequestContext, input: CreateConversationInput): Promise<ConversationDto> {
      return asMember(
        ctx,
        async (tx) => {
          if ((await repo.countSessions(tx, ctx.actor.userId)) >= CHAT_SESSIONS_PER_USER_MAX) {
            throw new AppError(
              "conflict",
              `You have ${CHAT_SESSIONS_PER_USER_MAX} conversations, the most one person keeps; delete some first`,
              { report: false },
            );
          }
          const row = await repo.insertSession(tx, {
            organizationId: ctx.organizationId,
            userId: ctx.actor.userId,
            title: input.title ?? DEFAULT_CONVERSATION_TITLE,
            projectId: input.projectId ?? null,
            documentId: input.documentId ?? null,
          });
          return toConversationDto(row);
        },
        () => new AppError("forbidden", "You are not a member of this organization any more", { report: false }),
      );
    },

    rename(ctx: RequestContext, id: string, input: UpdateConversationInput): Promise<ConversationDto> {
      return asMember(
        ctx,
        async (tx) => {
          await findOwn(tx, ctx, id);
          return toConversationDto(await repo.updateSession(tx, id, { title: input.title }));
        },
        conversationMissing(id),
      );
    },

    /** Deletes the conversation and its messages. */
    remove(ctx: RequestContext, id: string): Promise<void> {
      return asMember(
        ctx,
        async (tx) => {
          if (!(await repo.deleteSession(tx, ctx.actor.userId, id))) throw notFound("Conversation", id);
        },
        conversationMissing(id),
      );
    },

    /**
     * Stores a message and marks the conversation active. The first question names a conversation
     * that still has the default title. Refuses text over the limits, and messages past the
     * per-conversation cap.
     */
    async addMessage(ctx: RequestContext, id: string, draft: MessageDraft): Promise<MessageAdded> {
      const max = draft.role === "user" ? CHAT_MESSAGE_MAX : CHAT_ANSWER_MAX;
      if (draft.content.length > max) {
        throw new AppError("payload_too_large", `A ${draft.role} message is at most ${max} characters`, {
          report: false,
        });
      }
      return asMember(
        ctx,
        async (tx) => {
          const session = await findOwn(tx, ctx, id);
          if ((await repo.countMessages(tx, id)) >= CHAT_MESSAGES_PER_SESSION_MAX) {
            throw new AppError(
              "conflict",
              `A conversation holds at most ${CHAT_MESSAGES_PER_SESSION_MAX} messages; start a new one`,
              { report: false },
            );
          }
          const row = await repo.insertMessage(tx, {
            organizationId: ctx.organizationId,
            sessionId: id,
            role: draft.role,
            content: draft.content,
            citations: (draft.citations ?? []) as unknown as Prisma.InputJsonValue,
            toolCalls: draft.tools?.length ? (draft.tools as unknown as Prisma.InputJsonValue) : undefined,
            model: draft.model ?? null,
          });
          const title =
            draft.role === "user" && session.title === DEFAULT_CONVERSATION_TITLE
              ? titleFrom(draft.content)
              : undefined;
          const updated = await repo.updateSession(tx, id, title ? { title } : {});
          return { message: toMessageDto(row), conversation: toConversationDto(updated) };
        },
        conversationMissing(id),
      );
    },

    /** The conversation's last `limit` messages, oldest first: the turns an answer continues from. */
    recentMessages(ctx: RequestContext, id: string, limit: number): Promise<ChatMessageDto[]> {
      return asMember(
        ctx,
        async (tx) => {
          await findOwn(tx, ctx, id);
          return (await repo.listRecentMessages(tx, id, limit)).map(toMessageDto);
        },
        conversationMissing(id),
      );
    },
  };
}

/** A title from the first question: its first line, cut at a word near 60 characters. */
export function titleFrom(question: string): string {
  const line = question.trim().split("\n")[0]!.replace(/\s+/g, " ").trim();
  if (line.length <= 60) return line.slice(0, CHAT_TITLE_MAX) || DEFAULT_CONVERSATION_TITLE;
  const cut = line.slice(0, 60);
  const space = cut.lastIndexOf(" ");
  return `${(space > 30 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function readSessionCursor(cursor: string): { updatedAt: Date; id: string } {
  const [updatedAt, id] = readCursor(cursor, ["timestamp", "uuid"]);
  return { updatedAt: new Date(updatedAt!), id: id! };
}

function toConversationDto(row: SessionRow): ConversationDto {
  return {
    id: row.id,
    title: row.title,
    projectId: row.projectId,
    documentId: row.documentId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const StoredCitations = z.array(CitationSchema).catch([]);
const StoredTools = z.array(ToolActivitySchema).catch([]);

/*
 * Stored JSON is parsed, not cast: a row written by an older version of this code shows without
 * its citations rather than breaking the whole conversation.
 */
function toMessageDto(row: MessageRow): ChatMessageDto {
  return {
    id: row.id,
    role: row.role === "assistant" ? "assistant" : "user",
    content: row.content,
    citations: StoredCitations.parse(row.citations),
    tools: StoredTools.parse(row.toolCalls ?? []),
    model: row.model,
    createdAt: row.createdAt.toISOString(),
  };
}
