import type { ChatModel, ChatProviderName } from "./chat-model";
import { createAnthropicChatModel } from "./anthropic-chat-model";
import { createExtractiveAnswerer } from "./extractive-answerer";
import { createGoogleChatModel } from "./google-chat-model";
import type { HostedChatModelOptions } from "./hosted-options";
import { createOpenAiChatModel, createOpenAiCompatibleChatModel } from "./openai-chat-model";

export interface CreateChatModelOptions extends Partial<HostedChatModelOptions> {
  /** Which implementation to build; `extractive` ignores every other option. */
  provider: ChatProviderName;
}

/**
 * Builds the `ChatModel` for a provider. Hosted providers throw `ai_not_configured` when their
 * model or key (or, for openai-compatible, base URL) is missing, naming the variable to set.
 */
export function createChatModel(options: CreateChatModelOptions): ChatModel {
  const { provider, ...rest } = options;
  const hosted: HostedChatModelOptions = { ...rest, model: rest.model ?? "" };
  switch (provider) {
    case "extractive":
      return createExtractiveAnswerer();
    case "openai":
      return createOpenAiChatModel(hosted);
    case "openai-compatible":
      return createOpenAiCompatibleChatModel(hosted);
    case "anthropic":
      return createAnthropicChatModel(hosted);
    case "google":
      return createGoogleChatModel(hosted);
  }
}

/** The chat settings of the AI app's configuration (`AiConfig` from @devflow/util-config satisfies it). */
export interface ChatModelConfig {
  AI_CHAT_PROVIDER: ChatProviderName;
  AI_CHAT_MODEL?: string | undefined;
  AI_CHAT_BASE_URL?: string | undefined;
  AI_CHAT_API_KEY?: string | undefined;
  AI_CHAT_TIMEOUT_MS: number;
  AI_CHAT_MAX_OUTPUT_TOKENS: number;
}

/**
 * The chat model the configuration selects: `AI_CHAT_PROVIDER` (default extractive) with
 * `AI_CHAT_MODEL`, `AI_CHAT_BASE_URL`, `AI_CHAT_API_KEY`, `AI_CHAT_TIMEOUT_MS` and
 * `AI_CHAT_MAX_OUTPUT_TOKENS`. Config validation already requires what each provider needs.
 */
export function chatModelFromConfig(config: ChatModelConfig): ChatModel {
  return createChatModel({
    provider: config.AI_CHAT_PROVIDER,
    model: config.AI_CHAT_MODEL,
    baseUrl: config.AI_CHAT_BASE_URL,
    apiKey: config.AI_CHAT_API_KEY,
    timeoutMs: config.AI_CHAT_TIMEOUT_MS,
    maxOutputTokens: config.AI_CHAT_MAX_OUTPUT_TOKENS,
  });
}
