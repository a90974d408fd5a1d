import type { ChatModel, ChatRequest, ChatStreamEvent, ToolCall } from "@devflow/ai-llm";

/** One scripted model turn: text pieces and tool calls, streamed in order. */
export type ScriptedTurn = (string | { call: ToolCall })[];

/**
 * A ChatModel that plays back scripted turns and records every request: our own interface,
 * implemented in-process, for testing what the assistant does around a model.
 */
export function scriptedChatModel(
  turns: ScriptedTurn[],
  options: Partial<Pick<ChatModel, "generative" | "contextTokens">> = {},
) {
  const requests: ChatRequest[] = [];
  const model: ChatModel & { requests: ChatRequest[] } = {
    provider: "openai",
    model: "scripted-model",
    generative: options.generative ?? true,
    contextTokens: options.contextTokens ?? 16_000,
    requests,
    async *stream(request): AsyncIterable<ChatStreamEvent> {
      requests.push({ ...request, messages: [...request.messages] });
      const turn = turns.shift();
      if (!turn) throw new Error("The scripted model has no more turns");
      let hasCalls = false;
      for (const part of turn) {
        request.signal?.throwIfAborted();
        // A real stream yields between chunks; so does this one, so aborts land mid-stream.
        await new Promise((resolve) => setImmediate(resolve));
        if (typeof part === "string") yield { type: "text", delta: part };
        else {
          hasCalls = true;
          yield { type: "tool_call", call: part.call };
        }
      }
      yield {
        type: "done",
        finishReason: hasCalls ? "tool_calls" : "stop",
        usage: { inputTokens: 100, outputTokens: 20 },
      };
    },
  };
  return model;
}
