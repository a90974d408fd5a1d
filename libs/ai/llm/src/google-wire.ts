import type { Content, FunctionDeclaration, GenerateContentResponse, Part } from "@google/genai";
import type { ChatMessage, ChatStreamEvent, FinishReason, ToolSpec } from "./chat-model";
import { argumentsAsObject } from "./hosted-options";

/*
 * Gemini may omit a function call's id (it matches responses by name and order). We then make one
 * up so our tool messages can answer it, and strip it again on the way back: the API must not see
 * ids it did not issue.
 */
const LOCAL_ID_PREFIX = "gemini-local-";

/**
 * Our messages in Gemini form: system prompts go to `systemInstruction`, the assistant is `model`,
 * tool calls are `functionCall` parts and tool results `functionResponse` parts in a user turn.
 * Same-role runs are merged, so all responses to one model turn travel together.
 */
export function toGeminiRequest(messages: readonly ChatMessage[]): {
  systemInstruction: string | undefined;
  contents: Content[];
} {
  const system = messages.filter((m) => m.role === "system").map((m) => m.content);
  const contents: { role: "user" | "model"; parts: Part[] }[] = [];
  const append = (role: "user" | "model", parts: Part[]) => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  for (const message of messages) {
    switch (message.role) {
      case "system":
        break;
      case "user":
        append("user", [{ text: message.content }]);
        break;
      case "assistant":
        append("model", [
          ...(message.content ? [{ text: message.content }] : []),
          ...(message.toolCalls ?? []).map((call): Part => ({
            functionCall: { ...issuedId(call.id), name: call.name, args: argumentsAsObject(call.arguments) },
            ...(call.signature !== undefined && { thoughtSignature: call.signature }),
          })),
        ]);
        break;
      case "tool":
        append("user", [
          // Gemini wants an object back; `output` is the documented key for a function's result.
          {
            functionResponse: {
              ...issuedId(message.toolCallId),
              name: message.name,
              response: { output: message.content },
            },
          },
        ]);
        break;
    }
  }
  return { systemInstruction: system.length > 0 ? system.join("\n\n") : undefined, contents };
}

function issuedId(id: string): { id?: string } {
  return id.startsWith(LOCAL_ID_PREFIX) ? {} : { id };
}

/** Tools as function declarations; `parametersJsonSchema` takes our JSON Schema as it is. */
export function toGeminiTools(tools: readonly ToolSpec[]): { functionDeclarations: FunctionDeclaration[] }[] {
  return [
    {
      functionDeclarations: tools.map((tool) => ({
        name: tool.name,
        description: tool.description,
        parametersJsonSchema: tool.inputSchema,
      })),
    },
  ];
}

const FILTERED = new Set([
  "SAFETY",
  "RECITATION",
  "BLOCKLIST",
  "PROHIBITED_CONTENT",
  "SPII",
  "IMAGE_SAFETY",
  "IMAGE_PROHIBITED_CONTENT",
  "LANGUAGE",
]);

/**
 * Folds `streamGenerateContent` responses into our events. Each response holds the next parts of
 * candidate 0: text pieces, or whole `functionCall`s (Gemini does not split their arguments).
 * `usageMetadata` is cumulative and complete on the last response, which also has `finishReason`.
 */
export class GeminiResponseReader {
  private finishReason: string | undefined;
  private sawToolCall = false;
  private blocked = false;
  private calls = 0;
  private usage = { inputTokens: 0, outputTokens: 0 };

  *push(response: GenerateContentResponse): Generator<ChatStreamEvent> {
    if (response.usageMetadata) {
      const usage = response.usageMetadata;
      this.usage = {
        inputTokens: usage.promptTokenCount ?? this.usage.inputTokens,
        // Thinking tokens are billed as output.
        outputTokens: (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0) || this.usage.outputTokens,
      };
    }
    // A blocked prompt comes back with no candidates and a promptFeedback.blockReason.
    if (response.promptFeedback?.blockReason) this.blocked = true;
    const candidate = response.candidates?.[0];
    if (!candidate) return;
    for (const part of candidate.content?.parts ?? []) {
      if (part.thought) continue;
      if (part.text) yield { type: "text", delta: part.text };
      if (part.functionCall) {
        this.sawToolCall = true;
        const id = part.functionCall.id || `${LOCAL_ID_PREFIX}${++this.calls}`;
        yield {
          type: "tool_call",
          call: {
            id,
            name: part.functionCall.name ?? "",
            arguments: part.functionCall.args ?? {},
            ...(part.thoughtSignature !== undefined && { signature: part.thoughtSignature }),
          },
        };
      }
    }
    if (candidate.finishReason) this.finishReason = candidate.finishReason;
  }

  get isFinished(): boolean {
    return this.finishReason !== undefined || this.blocked;
  }

  done(): ChatStreamEvent {
    return { type: "done", finishReason: this.mappedFinish(), usage: this.usage };
  }

  /** Gemini answers STOP after function calls; our loop keys on tool_calls. */
  private mappedFinish(): FinishReason {
    if (this.blocked || FILTERED.has(this.finishReason ?? "")) return "content_filter";
    if (this.finishReason === "MAX_TOKENS") return "length";
    return this.sawToolCall ? "tool_calls" : "stop";
  }
}
