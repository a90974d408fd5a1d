import Anthropic from "@anthropic-ai/sdk";
import type { ChatModel, ChatRequest, ChatStreamEvent } from "./chat-model";
import { runWithPolicy } from "./call-policy";
import { AnthropicEventReader, toAnthropicRequest, toAnthropicTools } from "./anthropic-wire";
import { callPolicyFor, DEFAULT_MAX_OUTPUT_TOKENS, type HostedChatModelOptions } from "./hosted-options";
import { contextTokensFor } from "./model-catalog";
import { aiNotConfigured, streamEndedEarly } from "./provider-errors";

export const ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com";

/**
 * Anthropic's Messages API through the official SDK, streamed. Needs a model and an API key;
 * `baseUrl` (without `/v1`) reaches a gateway that speaks the same API.
 */
export function createAnthropicChatModel(options: HostedChatModelOptions): ChatModel {
  if (!options.model) throw aiNotConfigured("Anthropic needs a model (AI_CHAT_MODEL), e.g. claude-sonnet-4-6");
  if (!options.apiKey) throw aiNotConfigured("Anthropic needs an API key (AI_CHAT_API_KEY)");
  const client = new Anthropic({
    apiKey: options.apiKey,
    // Explicit, so ANTHROPIC_BASE_URL in the environment does not silently redirect requests.
    baseURL: options.baseUrl ?? ANTHROPIC_DEFAULT_BASE_URL,
    // Retries happen in runWithPolicy, bounded by the call's deadline (see call-policy.ts).
    maxRetries: 0,
    timeout: options.timeoutMs,
    // The SDK logs unparsable frames raw; errors are mapped and logged by our callers instead.
    logLevel: "off",
  });
  const model = options.model;
  const maxOutputTokens = options.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;

  async function* attempt(
    request: ChatRequest,
    signal: AbortSignal,
    timeoutMs: number,
  ): AsyncGenerator<ChatStreamEvent> {
    const { system, messages } = toAnthropicRequest(request.messages);
    const stream = await client.messages.create(
      {
        model,
        messages,
        // Required by the Messages API.
        max_tokens: request.maxOutputTokens ?? maxOutputTokens,
        ...(system !== undefined && { system }),
        ...(request.tools?.length && { tools: toAnthropicTools(request.tools) }),
        ...(request.temperature !== undefined && { temperature: request.temperature }),
        stream: true,
      },
      { signal, timeout: timeoutMs },
    );
    const reader = new AnthropicEventReader();
    for await (const event of stream) yield* reader.push(event);
    // The SDK ends iteration quietly on abort and on a dropped connection; only message_stop proves the turn ended.
    if (!reader.isFinished && !signal.aborted) throw streamEndedEarly("anthropic");
  }

  return {
    provider: "anthropic",
    model,
    generative: true,
    contextTokens: options.contextTokens ?? contextTokensFor("anthropic", model),
    stream(request: ChatRequest): AsyncIterable<ChatStreamEvent> {
      const policy = callPolicyFor(options, request);
      return runWithPolicy("anthropic", policy, request.signal, (signal) => attempt(request, signal, policy.timeoutMs));
    },
  };
}
