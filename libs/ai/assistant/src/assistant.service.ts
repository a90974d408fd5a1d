import { estimateCostUsd, type ChatModel, type TokenUsage, type ToolCall } from "@devflow/ai-llm";
import type { ToolResult } from "@devflow/ai-tools";
import type { RequestContext } from "@devflow/auth";
import {
  CHAT_ANSWER_MAX,
  ProposedEditSchema,
  type AssistantStatusDto,
  type AssistantStreamEvent,
  type ChatMessageDto,
  type ConversationDto,
  type SendMessageInput,
  type ToolActivityDto,
} from "@devflow/contracts";
import type { ChatService } from "@devflow/domain-chat";
import { isAppError } from "@devflow/util-core";
import { z } from "zod";
import { runAnswerLoop, type AssistantToolRegistry } from "./answer-loop";
import { extractCitations } from "./citations";
import { HISTORY_TURNS_MAX } from "./context";
import { gatherContext, type ContextSources } from "./gather-context";

/** Records one AI call (`createAiActivityService(db).record`). */
export interface AiActivityRecorder {
  record(
    ctx: RequestContext,
    entry: {
      surface: "assistant" | "mcp" | "worker" | "search";
      tool?: string | null;
      projectId?: string | null;
      provider: string;
      model: string;
      inputTokens: number;
      outputTokens: number;
      latencyMs: number;
      costUsd: number;
      status: "ok" | "error" | "refused";
      errorCode?: string | null;
    },
  ): Promise<void>;
}

export interface AssistantDeps extends ContextSources {
  model: ChatModel;
  chat: ChatService;
  /** The workspace tools (`createToolRegistry`); without it the assistant answers from retrieval only. */
  tools?: AssistantToolRegistry;
  activity?: AiActivityRecorder;
  /** Told about bookkeeping that failed without failing the answer (activity not recorded). */
  onBackgroundError?: (error: unknown, what: string) => void;
  now?: () => number;
}

export interface AssistantOptions {
  /** Model turns that may call tools before it has to answer. */
  maxToolRounds?: number;
  maxOutputTokens?: number;
  /** Passages retrieved per question. */
  passageLimit?: number;
}

/** A question accepted and stored: `stream()` answers it. */
export interface PendingReply {
  userMessage: ChatMessageDto;
  conversation: ConversationDto;
  stream(signal: AbortSignal): AsyncGenerator<AssistantStreamEvent>;
}

export type Assistant = ReturnType<typeof createAssistant>;

/**
 * The in-app assistant: answers a question in a conversation from the person's workspace, streamed,
 * citing the exact document versions and ranges it used. Every answer is recorded in AI activity
 * (tokens, latency, cost estimate, outcome), failed and cancelled ones included.
 */
export function createAssistant(deps: AssistantDeps, options: AssistantOptions = {}) {
  const maxToolRounds = options.maxToolRounds ?? 4;
  const maxOutputTokens = options.maxOutputTokens ?? 1_024;
  const passageLimit = options.passageLimit ?? 8;
  const now = deps.now ?? Date.now;
  const { model } = deps;

  /** Proposals carry the text each edit replaces, so the page can find it again in today's text. */
  const describeTool = async (call: ToolCall, result: ToolResult): Promise<Partial<ToolActivityDto>> => {
    if (call.name !== "propose_edit") return {};
    const parsed = ProposalOutputSchema.safeParse(result.output);
    if (!parsed.success) return {};
    const { edits, ...proposal } = parsed.data;
    return {
      proposal: {
        ...proposal,
        edits: edits.map(({ replaced, excerpt, ...edit }) => ({
          ...edit,
          ...(replaced !== undefined && { before: replaced }),
          ...(excerpt && { prefix: excerpt.text.slice(0, Math.max(0, edit.start - excerpt.start)).slice(-40) }),
        })),
        diff: result.diff ?? "",
      },
    };
  };

  const record = async (ctx: RequestContext, entry: Parameters<AiActivityRecorder["record"]>[1]) => {
    try {
      await deps.activity?.record(ctx, entry);
    } catch (error) {
      deps.onBackgroundError?.(error, "recording AI activity");
    }
  };

  return {
    /** Which model answers; the page shows an honest banner when it is the extractive answerer. */
    status(): AssistantStatusDto {
      return { provider: model.provider, model: model.model, generative: model.generative };
    },

    /**
     * Stores the person's question (checking the conversation is theirs and the message within
     * limits) and returns the answer to stream. Errors here are ordinary request errors; errors
     * while streaming arrive as an `error` event.
     */
    async ask(ctx: RequestContext, conversationId: string, input: SendMessageInput): Promise<PendingReply> {
      const history = await deps.chat.recentMessages(ctx, conversationId, HISTORY_TURNS_MAX);
      const { message: userMessage, conversation } = await deps.chat.addMessage(ctx, conversationId, {
        role: "user",
        content: input.content,
      });
      const projectId = input.context?.projectId ?? conversation.projectId ?? null;
      const where = {
        ...input.context,
        ...(projectId && { projectId }),
        ...(!input.context?.documentId && conversation.documentId && { documentId: conversation.documentId }),
      };

      async function* stream(signal: AbortSignal): AsyncGenerator<AssistantStreamEvent> {
        const started = now();
        let usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
        const finish = (status: "ok" | "error" | "refused", errorCode: string | null) =>
          record(ctx, {
            surface: "assistant",
            tool: null,
            projectId,
            provider: model.provider,
            model: model.model,
            inputTokens: usage.inputTokens,
            outputTokens: usage.outputTokens,
            latencyMs: Math.max(0, Math.round(now() - started)),
            costUsd: estimateCostUsd(model.provider, model.model, usage),
            status,
            errorCode,
          });
        try {
          const context = await gatherContext(deps, ctx, {
            model,
            question: input.content,
            history: history.map((m) => ({ role: m.role, content: m.content })),
            where,
            hasTools: model.generative && deps.tools !== undefined,
            maxOutputTokens,
            passageLimit,
          });
          const loop = runAnswerLoop({
            ctx,
            model,
            messages: context.messages,
            passages: context.passages,
            ...(deps.tools && { tools: deps.tools }),
            maxToolRounds,
            maxOutputTokens,
            signal,
            describeTool,
          });
          let step = await loop.next();
          while (!step.done) {
            const event = step.value;
            yield event.type === "delta"
              ? { event: "delta", data: { text: event.text } }
              : { event: "tool", data: event.activity };
            step = await loop.next();
          }
          const result = step.value;
          usage = result.usage;
          const { citations, text } = extractCitations(result.text, context.passages);
          yield { event: "citations", data: { citations } };
          const saved = await deps.chat.addMessage(ctx, conversationId, {
            role: "assistant",
            content: text.slice(0, CHAT_ANSWER_MAX),
            citations,
            tools: result.tools,
            model: model.model,
          });
          await finish("ok", null);
          yield {
            event: "done",
            data: {
              messageId: saved.message.id,
              userMessageId: userMessage.id,
              model: model.model,
              generative: model.generative,
              usage,
              title: saved.conversation.title,
            },
          };
        } catch (error) {
          if (signal.aborted) {
            // The person left or pressed stop: nothing to tell them, but the call still cost something.
            await finish("error", "cancelled");
            return;
          }
          const failure = toStreamError(error);
          await finish("error", failure.code);
          if (!isAppError(error) || error.report) deps.onBackgroundError?.(error, "answering a question");
          yield { event: "error", data: failure };
        }
      }

      return { userMessage, conversation, stream };
    },
  };
}

/** `propose_edit`'s output: each edit says what text it replaces (`replaced`). */
const ProposalOutputSchema = ProposedEditSchema.omit({ diff: true, edits: true }).extend({
  edits: z.array(
    z.object({
      start: z.number().int().nonnegative(),
      end: z.number().int().nonnegative(),
      text: z.string(),
      replaced: z.string().optional(),
      excerpt: z.object({ start: z.number(), text: z.string() }).optional(),
    }),
  ),
});

/** What the person is told when an answer fails: AppError messages are written for people; others are not. */
function toStreamError(error: unknown): { code: string; message: string } {
  if (isAppError(error) && error.code !== "internal") return { code: error.code, message: error.message };
  return { code: "internal", message: "The assistant failed while answering. Try again in a moment." };
}
