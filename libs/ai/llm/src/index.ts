export type {
  ChatMessage,
  ChatModel,
  ChatProviderName,
  ChatRequest,
  ChatStreamEvent,
  CitableDocument,
  CitableFile,
  CitablePassage,
  CitablePassageText,
  FinishReason,
  TokenUsage,
  ToolCall,
  ToolSpec,
} from "./chat-model";
export { createAnthropicChatModel, ANTHROPIC_DEFAULT_BASE_URL } from "./anthropic-chat-model";
export { DEFAULT_CALL_POLICY, type CallPolicy } from "./call-policy";
export {
  chatModelFromConfig,
  createChatModel,
  type ChatModelConfig,
  type CreateChatModelOptions,
} from "./create-chat-model";
export { createExtractiveAnswerer, NO_MODEL_PREAMBLE } from "./extractive-answerer";
export { createGoogleChatModel, GOOGLE_DEFAULT_BASE_URL } from "./google-chat-model";
export { DEFAULT_MAX_OUTPUT_TOKENS, type HostedChatModelOptions } from "./hosted-options";
export { approximateTokens, contextTokensFor, estimateCostUsd, hasKnownPrice } from "./model-catalog";
export { createOpenAiChatModel, createOpenAiCompatibleChatModel, OPENAI_DEFAULT_BASE_URL } from "./openai-chat-model";
export { aiNotConfigured, type AiErrorDetails } from "./provider-errors";
