import { z } from "zod";
import { PageQuerySchema } from "./pagination";

/*
 * The in-app assistant: conversations, their messages, the streamed answer's events and citation
 * checks. The browser talks to the ai service directly (`/v1/assistant/*`) with a service token.
 */

/** Longest message a person may send, in characters: long enough for a pasted stack trace. */
export const CHAT_MESSAGE_MAX = 8_000;
/** Longest stored answer; a model stopped by its output budget stays well below this. */
export const CHAT_ANSWER_MAX = 64_000;
export const CHAT_TITLE_MAX = 200;
/** Conversations one person keeps in one organization; past this they delete old ones. */
export const CHAT_SESSIONS_PER_USER_MAX = 1_000;
/** Messages in one conversation (questions and answers); past this, start a new one. */
export const CHAT_MESSAGES_PER_SESSION_MAX = 500;
/** Citations one check request may name (an answer rarely has more than a handful). */
export const CITATION_CHECK_MAX = 50;
/** Longest quote a citation carries. */
export const CITATION_QUOTE_MAX = 2_000;

const offset = z.number().int().nonnegative().max(2_147_483_647);

/**
 * What a citation points at. A document is cited by `documentId` at one of its versions; an
 * uploaded file by `fileId` (a file has one version, 1, and its text is the text extracted from
 * it). Exactly one id is present, the one `sourceType` names, so a file's id is never mistaken for
 * a document's. `sourceType` defaults to "document": citations stored before files could be cited
 * have none and still parse, as documents.
 */
export const CitationSourceTypeSchema = z.enum(["document", "file"]);
export type CitationSourceType = z.infer<typeof CitationSourceTypeSchema>;

const citedDocument = {
  sourceType: z.literal("document").default("document"),
  documentId: z.uuid(),
};
const citedFile = {
  sourceType: z.literal("file"),
  fileId: z.uuid(),
};
/** `[start, end)` of the source's text at `version`, in UTF-16 code units. */
const citedRange = { version: offset, start: offset, end: offset };

const citationFields = {
  /** The `[n]` marker the answer uses for it. */
  ref: z.number().int().positive(),
  /** The document's title or the file's name, when the answer was written. */
  title: z.string(),
  ...citedRange,
  /** The cited text as it was at `version` (truncated to CITATION_QUOTE_MAX). */
  quote: z.string(),
};

/** A passage an answer cites: a document's text at `version`, or an uploaded file's extracted text. */
export const CitationSchema = z.discriminatedUnion("sourceType", [
  z.object({ ...citedDocument, ...citationFields }),
  z.object({ ...citedFile, ...citationFields }),
]);
/**
 * A citation as answers write it and as stored messages hold it: `sourceType` may be absent there
 * (older messages), meaning a document; parsing with CitationSchema fills it in.
 */
export type CitationDto = z.input<typeof CitationSchema>;

export const ToolActivityStatusSchema = z.enum(["running", "ok", "error"]);
export type ToolActivityStatus = z.infer<typeof ToolActivityStatusSchema>;

/** An edit the assistant proposes: replace `[start, end)` of the text at `baseVersion` with `text`. */
export const ProposedTextEditSchema = z.object({
  start: offset,
  end: offset,
  text: z.string(),
  /** The text the edit replaces, at `baseVersion`: what the client looks for in its current text. */
  before: z.string().optional(),
  /** Up to 40 characters just before `start` at `baseVersion`, to find an insertion point again. */
  prefix: z.string().optional(),
});
export type ProposedTextEditDto = z.infer<typeof ProposedTextEditSchema>;

export const ProposedEditSchema = z.object({
  documentId: z.uuid(),
  title: z.string().optional(),
  baseVersion: offset,
  edits: z.array(ProposedTextEditSchema),
  /** A unified diff of the proposal, for showing. */
  diff: z.string(),
});
export type ProposedEditDto = z.infer<typeof ProposedEditSchema>;

/** One tool the assistant ran while answering, as shown inline in the conversation. */
export const ToolActivitySchema = z.object({
  callId: z.string(),
  name: z.string(),
  status: ToolActivityStatusSchema,
  /** A short human line: what it looked at, or why it failed. */
  summary: z.string().nullable(),
  /** For `propose_edit`: the proposal, which applies nothing until the person accepts it. */
  proposal: ProposedEditSchema.nullable().optional(),
});
export type ToolActivityDto = z.infer<typeof ToolActivitySchema>;

export const ChatMessageRoleSchema = z.enum(["user", "assistant"]);

export const ChatMessageSchema = z.object({
  id: z.uuid(),
  role: ChatMessageRoleSchema,
  content: z.string(),
  citations: z.array(CitationSchema),
  tools: z.array(ToolActivitySchema),
  /** The model that wrote an assistant message; null for the person's own. */
  model: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type ChatMessageDto = z.infer<typeof ChatMessageSchema>;

export const ConversationSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  /** Where it was started, if from a project or document page. */
  projectId: z.uuid().nullable(),
  documentId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ConversationDto = z.infer<typeof ConversationSchema>;

export const ConversationDetailSchema = ConversationSchema.extend({
  messages: z.array(ChatMessageSchema),
});
export type ConversationDetailDto = z.infer<typeof ConversationDetailSchema>;

const titleField = z.string().trim().min(1, "Give the conversation a title").max(CHAT_TITLE_MAX);

/** `POST /v1/assistant/conversations` */
export const CreateConversationInputSchema = z.object({
  title: titleField.optional(),
  projectId: z.uuid().nullable().optional(),
  documentId: z.uuid().nullable().optional(),
});
export type CreateConversationInput = z.infer<typeof CreateConversationInputSchema>;

/** `PATCH /v1/assistant/conversations/:id` */
export const UpdateConversationInputSchema = z.object({ title: titleField });
export type UpdateConversationInput = z.infer<typeof UpdateConversationInputSchema>;

/** `GET /v1/assistant/conversations?cursor=&limit=`: newest activity first. */
export const ListConversationsQuerySchema = PageQuerySchema;
export type ListConversationsQuery = z.infer<typeof ListConversationsQuerySchema>;

/** Where the person is while asking: what context assembly looks at first. */
export const AskContextSchema = z.object({
  projectId: z.uuid().optional(),
  documentId: z.uuid().optional(),
  /**
   * The selection (or caret, when empty) in the open document. With `version`, offsets index that
   * version's text; without, they index the editor's text, which may be a few edits off the head:
   * `text` (what is selected) then finds it again.
   */
  selection: z
    .object({
      from: offset,
      to: offset,
      version: offset.optional(),
      text: z.string().max(CHAT_MESSAGE_MAX).optional(),
    })
    .optional(),
});
export type AskContext = z.infer<typeof AskContextSchema>;

/** `POST /v1/assistant/conversations/:id/messages`, answered as `text/event-stream`. */
export const SendMessageInputSchema = z.object({
  content: z
    .string()
    .trim()
    .min(1, "Type a question")
    .max(CHAT_MESSAGE_MAX, `A message is at most ${CHAT_MESSAGE_MAX} characters`),
  context: AskContextSchema.optional(),
});
export type SendMessageInput = z.infer<typeof SendMessageInputSchema>;

export const TokenUsageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
});

/** The events of a streamed answer, in the order they may arrive; `done` or `error` ends it. */
export const AssistantStreamEventSchema = z.discriminatedUnion("event", [
  z.object({ event: z.literal("delta"), data: z.object({ text: z.string() }) }),
  z.object({ event: z.literal("tool"), data: ToolActivitySchema }),
  z.object({ event: z.literal("citations"), data: z.object({ citations: z.array(CitationSchema) }) }),
  z.object({
    event: z.literal("done"),
    data: z.object({
      messageId: z.uuid(),
      userMessageId: z.uuid(),
      model: z.string(),
      /** False when the extractive answerer wrote it: it quotes documents and writes no prose. */
      generative: z.boolean(),
      usage: TokenUsageSchema,
      /** The conversation's title, which the first question sets. */
      title: z.string(),
    }),
  }),
  z.object({ event: z.literal("error"), data: z.object({ code: z.string(), message: z.string() }) }),
]);
export type AssistantStreamEvent = z.infer<typeof AssistantStreamEventSchema>;
export type AssistantStreamEventName = AssistantStreamEvent["event"];

/** `GET /v1/assistant/status`: which model answers, so the page can say so before anyone asks. */
export const AssistantStatusSchema = z.object({
  provider: z.string(),
  model: z.string(),
  generative: z.boolean(),
});
export type AssistantStatusDto = z.infer<typeof AssistantStatusSchema>;

/** `POST /v1/assistant/citations/check` */
export const CheckCitationsInputSchema = z.object({
  citations: z
    .array(
      z.discriminatedUnion("sourceType", [
        z.object({ ...citedDocument, ...citedRange }),
        z.object({ ...citedFile, ...citedRange }),
      ]),
    )
    .min(1)
    .max(CITATION_CHECK_MAX),
});
export type CheckCitationsInput = z.infer<typeof CheckCitationsInputSchema>;

const citationCheckFields = {
  ...citedRange,
  /**
   * `current`: the cited text is unchanged at `current`'s range; `changed`: it was edited (or
   * deleted, when `current.start === current.end`); `missing`: the document, version or file
   * cannot be read any more (deleted, archived, or moved out of the person's reach). A file has
   * one version, so its citations are `current` or `missing`.
   */
  status: z.enum(["current", "changed", "missing"]),
  changed: z.boolean(),
  current: z.object({ version: offset, start: offset, end: offset }).nullable(),
};

/** One citation's check, naming the citation as it was asked about. */
export const CitationCheckSchema = z.discriminatedUnion("sourceType", [
  z.object({ ...citedDocument, ...citationCheckFields }),
  z.object({ ...citedFile, ...citationCheckFields }),
]);
export type CitationCheckDto = z.infer<typeof CitationCheckSchema>;

export const CheckCitationsResponseSchema = z.object({ results: z.array(CitationCheckSchema) });
export type CheckCitationsResponseDto = z.infer<typeof CheckCitationsResponseSchema>;
