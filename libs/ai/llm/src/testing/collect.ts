import type { ChatStreamEvent, ToolCall, TokenUsage, FinishReason } from "../chat-model";

/** Everything one streamed turn produced, folded for assertions. */
export interface CollectedTurn {
  events: ChatStreamEvent[];
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason | undefined;
  usage: TokenUsage | undefined;
}

/** Drains a `ChatModel.stream()` into its events, text, tool calls and final done event. */
export async function collectTurn(stream: AsyncIterable<ChatStreamEvent>): Promise<CollectedTurn> {
  const turn: CollectedTurn = { events: [], text: "", toolCalls: [], finishReason: undefined, usage: undefined };
  for await (const event of stream) {
    turn.events.push(event);
    if (event.type === "text") turn.text += event.delta;
    else if (event.type === "tool_call") turn.toolCalls.push(event.call);
    else {
      turn.finishReason = event.finishReason;
      turn.usage = event.usage;
    }
  }
  return turn;
}
