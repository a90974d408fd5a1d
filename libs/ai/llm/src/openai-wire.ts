import type OpenAI from "openai";
import type { ChatMessage, ChatStreamEvent, FinishReason, ToolCall, ToolSpec } from "./chat-model";
import { parseToolArguments } from "./hosted-options";
import { approximateTokens } from "./model-catalog";

type WireMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;
type WireTool = OpenAI.Chat.Completions.ChatCompletionTool;
type Chunk = OpenAI.Chat.Completions.ChatCompletionChunk;

/** Our messages in Chat Completions form: tool calls as `tool_calls`, results as `tool` messages. */
export function toOpenAiMessages(messages: readonly ChatMessage[]): WireMessage[] {
  return messages.map((message): WireMessage => {
    switch (message.role) {
      case "system":
        return { role: "system", content: message.content };
      case "user":
        return { role: "user", content: message.content };
      case "assistant":
        if (!message.toolCalls?.length) return { role: "assistant", content: message.content };
        return {
          role: "assistant",
          // The API wants null, not "", beside tool calls with no prose.
          content: message.content === "" ? null : message.content,
          tool_calls: message.toolCalls.map((call) => ({
            id: call.id,
            type: "function",
            function: {
              name: call.name,
              arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments ?? {}),
            },
          })),
        };
      case "tool":
        return { role: "tool", tool_call_id: message.toolCallId, content: message.content };
    }
  });
}

export function toOpenAiTools(tools: readonly ToolSpec[]): WireTool[] {
  return tools.map((tool) => ({
    type: "function",
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema },
  }));
}

const FINISH: Record<string, FinishReason> = {
  stop: "stop",
  tool_calls: "tool_calls",
  function_call: "tool_calls",
  length: "length",
  content_filter: "content_filter",
};

/**
 * Folds Chat Completions chunks into our events. Text deltas pass straight through; a tool call's id
 * and name come in its first delta and its arguments as string pieces in later ones, matched by
 * `index` (several calls can interleave), so calls are emitted whole once the stream ends.
 */
export class OpenAiChunkReader {
  private readonly calls = new Map<number, { id: string; name: string; arguments: string }>();
  private finishReason: string | undefined;
  private usage: { inputTokens: number; outputTokens: number } | undefined;
  private outputChars = 0;

  constructor(private readonly promptText: string) {}

  *push(chunk: Chunk): Generator<ChatStreamEvent> {
    if (chunk.usage) {
      this.usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
    }
    // Only choice 0 is requested (n defaults to 1); the usage chunk has an empty (or, from some servers, null) list.
    const choice = (chunk.choices ?? []).find((c) => c.index === 0);
    if (!choice) return;
    const delta = choice.delta ?? {};
    if (delta.content) {
      this.outputChars += delta.content.length;
      yield { type: "text", delta: delta.content };
    }
    for (const piece of delta.tool_calls ?? []) {
      const slot = this.calls.get(piece.index) ?? { id: "", name: "", arguments: "" };
      this.calls.set(piece.index, slot);
      // Some compatible servers repeat id and name on every delta: take the first, append only arguments.
      if (piece.id && !slot.id) slot.id = piece.id;
      if (piece.function?.name && !slot.name) slot.name = piece.function.name;
      if (piece.function?.arguments) {
        slot.arguments += piece.function.arguments;
        this.outputChars += piece.function.arguments.length;
      }
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
  }

  /** True once the model said why it stopped; without it the stream was cut short. */
  get isFinished(): boolean {
    return this.finishReason !== undefined;
  }

  *finish(): Generator<ChatStreamEvent> {
    const calls: ToolCall[] = [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, slot]) => ({
        id: slot.id || `call_${index}`,
        name: slot.name,
        arguments: parseToolArguments(slot.arguments),
      }));
    for (const call of calls) yield { type: "tool_call", call };
    // Ollama and older vLLM report "stop" beside tool calls; the caller keys its loop on tool_calls.
    const reported = FINISH[this.finishReason ?? "stop"] ?? "stop";
    const reason = calls.length > 0 && reported === "stop" ? "tool_calls" : reported;
    yield {
      type: "done",
      finishReason: reason,
      // Servers without stream_options support report no usage; estimate rather than claim zero.
      usage: this.usage ?? {
        inputTokens: approximateTokens(this.promptText),
        outputTokens: Math.ceil(this.outputChars / 4),
      },
    };
  }
}
