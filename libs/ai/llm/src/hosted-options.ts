import type { ChatRequest } from "./chat-model";
import { DEFAULT_CALL_POLICY, type CallPolicy } from "./call-policy";

/** Settings shared by every SDK-backed model (OpenAI, OpenAI-compatible, Anthropic, Google). */
export interface HostedChatModelOptions {
  /** The provider's model id: `gpt-4o-mini`, `claude-sonnet-4-5`, `gemini-2.5-flash`, `llama3.1:8b`… */
  model: string;
  /** The API key. Optional only for OpenAI-compatible servers that need none (a local Ollama). */
  apiKey?: string;
  /**
   * Where the SDK sends requests. Defaults to the provider's public API; required for OpenAI-compatible
   * servers (e.g. `http://localhost:11434/v1` for Ollama). Tests point it at a loopback fake.
   */
  baseUrl?: string;
  /** Budget for one whole turn, retries included (AI_CHAT_TIMEOUT_MS). Default 60 s. */
  timeoutMs?: number;
  /** Further attempts after a 429/5xx before any token was streamed. Default 2. */
  maxRetries?: number;
  /** The longest retry-after worth waiting for inside one call. Default 10 s. */
  maxRetryDelayMs?: number;
  /** Output cap when a request sets none (AI_CHAT_MAX_OUTPUT_TOKENS). Default 1024. */
  maxOutputTokens?: number;
  /** The context window to budget against; defaults to the catalog's figure for the model. */
  contextTokens?: number;
}

export const DEFAULT_MAX_OUTPUT_TOKENS = 1024;

/** The call policy for one request: the request's timeout wins over the model's. */
export function callPolicyFor(options: HostedChatModelOptions, request: ChatRequest): CallPolicy {
  return {
    timeoutMs: request.timeoutMs ?? options.timeoutMs ?? DEFAULT_CALL_POLICY.timeoutMs,
    maxRetries: options.maxRetries ?? DEFAULT_CALL_POLICY.maxRetries,
    maxRetryDelayMs: options.maxRetryDelayMs ?? DEFAULT_CALL_POLICY.maxRetryDelayMs,
  };
}

/** Tool arguments arrive as JSON text; an unparsable string is passed on for validation to explain. */
export function parseToolArguments(json: string): unknown {
  if (json.trim() === "") return {};
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}

/** Arguments sent back to a provider that wants an object (Anthropic `input`, Gemini `args`). */
export function argumentsAsObject(args: unknown): Record<string, unknown> {
  if (typeof args === "object" && args !== null && !Array.isArray(args)) return args as Record<string, unknown>;
  if (typeof args === "string") {
    const parsed = parseToolArguments(args);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  }
  return {};
}
