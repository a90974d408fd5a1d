import type Anthropic from "@anthropic-ai/sdk";
import type { ChatMessage, ChatStreamEvent, FinishReason, ToolSpec } from "./chat-model";
import { argumentsAsObject, parseToolArguments } from "./hosted-options";

type WireMessage = Anthropic.Messages.MessageParam;
type WireBlock = Anthropic.Messages.ContentBlockParam;
type WireTool = Anthropic.Messages.Tool;
type StreamEvent = Anthropic.Messages.RawMessageStreamEvent;

/**
 * Our messages in Messages-API form. System prompts go to the top-level `system`; an assistant's tool
 * calls become `tool_use` blocks; tool results become `tool_result` blocks in a user message. Runs
 * of same-role messages are merged, because every result for one assistant turn must sit in the
 * single user message that follows it.
 */
export function toAnthropicRequest(messages: readonly ChatMessage[]): {
  system: string | undefined;
  messages: WireMessage[];
} {
  const system = messages.filter((m) => m.role === "system").map((m) => m.content);
  const wire: { role: "user" | "assistant"; content: WireBlock[] }[] = [];
  const append = (role: "user" | "assistant", blocks: WireBlock[]) => {
    if (blocks.length === 0) return;
    const last = wire.at(-1);
    if (last && last.role === role) last.content.push(...blocks);
    else wire.push({ role, content: blocks });
  };
  for (const message of messages) {
    switch (message.role) {
      case "system":
        break;
      case "user":
        append("user", [{ type: "text", text: message.content }]);
        break;
      case "assistant":
        append("assistant", [
          // The API rejects empty text blocks.
          ...(message.content ? [{ type: "text" as const, text: message.content }] : []),
          ...(message.toolCalls ?? []).map((call) => ({
            type: "tool_use" as const,
            id: call.id,
            name: call.name,
            input: argumentsAsObject(call.arguments),
          })),
        ]);
        break;
      case "tool":
        append("user", [{ type: "tool_result", tool_use_id: message.toolCallId, content: message.content }]);
        break;
    }
  }
  return { system: system.length > 0 ? system.join("\n\n") : undefined, messages: wire };
}

export function toAnthropicTools(tools: readonly ToolSpec[]): WireTool[] {
  return tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    input_schema: { type: "object", ...tool.inputSchema },
  }));
}

const FINISH: Record<string, FinishReason> = {
  end_turn: "stop",
  stop_sequence: "stop",
  pause_turn: "stop",
  tool_use: "tool_calls",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  refusal: "content_filter",
};

/**
 * Folds Messages-API stream events into ours: message_start carries input usage, content blocks
 * stream text (`text_delta`) or a tool's input as JSON pieces (`input_json_delta`) completed at
 * content_block_stop, message_delta carries the stop reason and cumulative output usage, and
 * message_stop ends the turn.
 */
export class AnthropicEventReader {
  private readonly tools = new Map<number, { id: string; name: string; json: string }>();
  private inputTokens = 0;
  private outputTokens = 0;
  private stopReason: string | null = null;
  private stopped = false;

  *push(event: StreamEvent): Generator<ChatStreamEvent> {
    switch (event.type) {
      case "message_start": {
        const usage = event.message.usage;
        // Cached prompt tokens are reported apart from input_tokens; all of them were sent.
        this.inputTokens =
          usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
        this.outputTokens = usage.output_tokens;
        break;
      }
      case "content_block_start":
        if (event.content_block.type === "text" && event.content_block.text) {
          yield { type: "text", delta: event.content_block.text };
        } else if (event.content_block.type === "tool_use") {
          this.tools.set(event.index, { id: event.content_block.id, name: event.content_block.name, json: "" });
        }
        break;
      case "content_block_delta":
        if (event.delta.type === "text_delta") yield { type: "text", delta: event.delta.text };
        else if (event.delta.type === "input_json_delta") {
          const tool = this.tools.get(event.index);
          if (tool) tool.json += event.delta.partial_json;
        }
        break;
      case "content_block_stop": {
        const tool = this.tools.get(event.index);
        if (tool) {
          this.tools.delete(event.index);
          yield { type: "tool_call", call: { id: tool.id, name: tool.name, arguments: parseToolArguments(tool.json) } };
        }
        break;
      }
      case "message_delta":
        if (event.delta.stop_reason) this.stopReason = event.delta.stop_reason;
        // message_delta usage is cumulative; newer API versions repeat the input counts there too.
        if (event.usage.output_tokens != null) this.outputTokens = event.usage.output_tokens;
        if (event.usage.input_tokens != null) {
          this.inputTokens =
            event.usage.input_tokens +
            (event.usage.cache_creation_input_tokens ?? 0) +
            (event.usage.cache_read_input_tokens ?? 0);
        }
        break;
      case "message_stop":
        this.stopped = true;
        yield {
          type: "done",
          finishReason: FINISH[this.stopReason ?? "end_turn"] ?? "stop",
          usage: { inputTokens: this.inputTokens, outputTokens: this.outputTokens },
        };
        break;
    }
  }

  /** True once message_stop arrived; without it the stream was cut short. */
  get isFinished(): boolean {
    return this.stopped;
  }
}
