import { GoogleGenAI } from "@google/genai";
import type { ChatModel, ChatRequest, ChatStreamEvent } from "./chat-model";
import { runWithPolicy } from "./call-policy";
import { GeminiResponseReader, toGeminiRequest, toGeminiTools } from "./google-wire";
import { callPolicyFor, DEFAULT_MAX_OUTPUT_TOKENS, type HostedChatModelOptions } from "./hosted-options";
import { contextTokensFor } from "./model-catalog";
import { aiNotConfigured, streamEndedEarly } from "./provider-errors";

export const GOOGLE_DEFAULT_BASE_URL = "https://generativelanguage.googleapis.com";

/**
 * Google's Gemini API (generateContentStream) through the official `@google/genai` SDK, with an API
 * key. `baseUrl` (the SDK's `httpOptions.baseUrl`, without `/v1beta`) reaches a proxy or a test fake.
 */
export function createGoogleChatModel(options: HostedChatModelOptions): ChatModel {
  if (!options.model) throw aiNotConfigured("Google needs a model (AI_CHAT_MODEL), e.g. gemini-2.5-flash");
  if (!options.apiKey) throw aiNotConfigured("Google needs an API key (AI_CHAT_API_KEY)");
  const client = new GoogleGenAI({
    apiKey: options.apiKey,
    vertexai: false,
    // Explicit, so GOOGLE_GEMINI_BASE_URL in the environment does not silently redirect requests.
    // No retryOptions: the SDK then makes one attempt and runWithPolicy owns retries.
    httpOptions: { baseUrl: options.baseUrl ?? GOOGLE_DEFAULT_BASE_URL },
  });
  const model = options.model;
  const maxOutputTokens = options.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;

  async function* attempt(request: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatStreamEvent> {
    const { systemInstruction, contents } = toGeminiRequest(request.messages);
    const stream = await client.models.generateContentStream({
      model,
      contents,
      config: {
        abortSignal: signal,
        maxOutputTokens: request.maxOutputTokens ?? maxOutputTokens,
        ...(systemInstruction !== undefined && { systemInstruction }),
        ...(request.tools?.length && { tools: toGeminiTools(request.tools) }),
        ...(request.temperature !== undefined && { temperature: request.temperature }),
      },
    });
    const reader = new GeminiResponseReader();
    for await (const response of stream) yield* reader.push(response);
    if (!reader.isFinished) {
      if (signal.aborted) return;
      throw streamEndedEarly("google");
    }
    yield reader.done();
  }

  return {
    provider: "google",
    model,
    generative: true,
    contextTokens: options.contextTokens ?? contextTokensFor("google", model),
    stream(request: ChatRequest): AsyncIterable<ChatStreamEvent> {
      const policy = callPolicyFor(options, request);
      return runWithPolicy("google", policy, request.signal, (signal) => attempt(request, signal));
    },
  };
}
