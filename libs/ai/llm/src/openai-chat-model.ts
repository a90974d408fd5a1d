import OpenAI from "openai";
import type { ChatModel, ChatProviderName, ChatRequest, ChatStreamEvent } from "./chat-model";
import { runWithPolicy } from "./call-policy";
import { callPolicyFor, DEFAULT_MAX_OUTPUT_TOKENS, type HostedChatModelOptions } from "./hosted-options";
import { contextTokensFor } from "./model-catalog";
import { OpenAiChunkReader, toOpenAiMessages, toOpenAiTools } from "./openai-wire";
import { aiNotConfigured, streamEndedEarly } from "./provider-errors";

export const OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

/**
 * OpenAI's Chat Completions API through the official SDK, streamed with usage. Needs a model and an
 * API key; `baseUrl` reaches a proxy or gateway that speaks the same API.
 */
export function createOpenAiChatModel(options: HostedChatModelOptions): ChatModel {
  if (!options.model) throw aiNotConfigured("OpenAI needs a model (AI_CHAT_MODEL), e.g. gpt-4o-mini");
  if (!options.apiKey) throw aiNotConfigured("OpenAI needs an API key (AI_CHAT_API_KEY)");
  return buildModel("openai", { ...options, baseUrl: options.baseUrl ?? OPENAI_DEFAULT_BASE_URL });
}

/**
 * Any server that speaks OpenAI's Chat Completions API (Ollama, vLLM, LM Studio, llama.cpp…), through
 * the same SDK. The base URL is required and the key optional: without one no Authorization header is
 * sent at all.
 */
export function createOpenAiCompatibleChatModel(options: HostedChatModelOptions): ChatModel {
  if (!options.baseUrl) {
    throw aiNotConfigured(
      "An OpenAI-compatible model needs a base URL (AI_CHAT_BASE_URL), e.g. http://localhost:11434/v1",
    );
  }
  if (!options.model) throw aiNotConfigured("An OpenAI-compatible model needs a model name (AI_CHAT_MODEL)");
  return buildModel("openai-compatible", options);
}

function buildModel(
  provider: Extract<ChatProviderName, "openai" | "openai-compatible">,
  options: HostedChatModelOptions,
) {
  const client = new OpenAI({
    // The SDK refuses to start without a key; a keyless server gets a placeholder whose header is removed below.
    apiKey: options.apiKey || "unused",
    baseURL: options.baseUrl,
    // Explicit nulls, so OPENAI_ORG_ID / OPENAI_PROJECT_ID / OPENAI_ADMIN_KEY in the environment are not picked up.
    organization: null,
    project: null,
    adminAPIKey: null,
    // Retries happen in runWithPolicy, bounded by the call's deadline (see call-policy.ts).
    maxRetries: 0,
    timeout: options.timeoutMs,
    // The SDK logs raw response bodies on parse failures; errors are mapped and logged by our callers instead.
    logLevel: "off",
    ...(!options.apiKey && { defaultHeaders: { Authorization: null } }),
  });
  const model = options.model;
  const maxOutputTokens = options.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;

  async function* attempt(
    request: ChatRequest,
    signal: AbortSignal,
    timeoutMs: number,
  ): AsyncGenerator<ChatStreamEvent> {
    const outputCap = request.maxOutputTokens ?? maxOutputTokens;
    const stream = await client.chat.completions.create(
      {
        model,
        messages: toOpenAiMessages(request.messages),
        ...(request.tools?.length && { tools: toOpenAiTools(request.tools) }),
        // OpenAI's reasoning models accept only max_completion_tokens; compatible servers know max_tokens.
        ...(provider === "openai" ? { max_completion_tokens: outputCap } : { max_tokens: outputCap }),
        ...(request.temperature !== undefined && { temperature: request.temperature }),
        stream: true,
        stream_options: { include_usage: true },
      },
      { signal, timeout: timeoutMs },
    );
    const reader = new OpenAiChunkReader(request.messages.map((m) => m.content).join("\n"));
    for await (const chunk of stream) yield* reader.push(chunk);
    // The SDK ends iteration quietly on abort and on a dropped connection; only a finish_reason proves the turn ended.
    if (!reader.isFinished) {
      if (signal.aborted) return;
      throw streamEndedEarly(provider);
    }
    yield* reader.finish();
  }

  return {
    provider,
    model,
    generative: true,
    contextTokens: options.contextTokens ?? contextTokensFor(provider, model),
    stream(request: ChatRequest): AsyncIterable<ChatStreamEvent> {
      const policy = callPolicyFor(options, request);
      return runWithPolicy(provider, policy, request.signal, (signal) => attempt(request, signal, policy.timeoutMs));
    },
  };
}
