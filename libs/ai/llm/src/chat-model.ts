/**
 * The one interface every language model sits behind: hosted providers (OpenAI, Anthropic, Google),
 * any OpenAI-compatible endpoint (Ollama, vLLM), and the offline extractive answerer used when none
 * is configured. The assistant and the MCP `ask` tool only ever see this.
 */

export type ChatProviderName = "openai" | "anthropic" | "google" | "openai-compatible" | "extractive";

/** A tool the model may call, described by a JSON Schema of its input (draft 2020-12 subset). */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface ToolCall {
  /** The provider's id for the call; a tool message answers it by this id. */
  id: string;
  name: string;
  /**
   * The arguments, parsed from the model's JSON (still unvalidated: the tool registry validates them).
   * When the model's JSON does not parse, the raw string is passed on so validation can say what is wrong.
   */
  arguments: unknown;
  /**
   * Opaque provider data that must travel back with this call in the next request (Gemini's thought
   * signature). Keep it on the assistant message's `toolCalls`; never show it.
   */
  signature?: string;
}

export type ChatMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string }
  | { role: "assistant"; content: string; toolCalls?: ToolCall[] }
  | { role: "tool"; toolCallId: string; name: string; content: string };

/**
 * A passage the answer may cite, numbered by `ref`. Generative models see passages rendered into the
 * prompt (context assembly does that) and cite them as `[ref]`; the extractive answerer quotes them.
 * It comes from a document (`documentId`; `sourceType` "document" or absent) or an uploaded file
 * (`sourceType` "file", `fileId`; a file has one version, 1).
 */
export type CitablePassage = CitablePassageText & (CitableDocument | CitableFile);

export interface CitableDocument {
  sourceType?: "document";
  documentId: string;
}

export interface CitableFile {
  sourceType: "file";
  fileId: string;
}

/** What every citable passage has, whatever it comes from. */
export interface CitablePassageText {
  ref: number;
  /** The document's title or the file's name. */
  title: string;
  heading: string | null;
  /** The version the passage's offsets index (a file's is always 1). */
  version: number;
  start: number;
  end: number;
  text: string;
  /** The query's words inside `text` (UTF-16 offsets into it), when retrieval found them. */
  highlights?: { start: number; end: number }[];
}

export interface ChatRequest {
  messages: readonly ChatMessage[];
  tools?: readonly ToolSpec[];
  /** The passages the prompt offers for citation (already rendered into `messages` for generative models). */
  passages?: readonly CitablePassage[];
  maxOutputTokens?: number;
  temperature?: number;
  /** Aborting ends the stream by throwing the signal's reason (an `AbortError` unless one was given). */
  signal?: AbortSignal;
  /** Overrides the model's configured per-call timeout (AI_CHAT_TIMEOUT_MS) for this call. */
  timeoutMs?: number;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export type FinishReason = "stop" | "tool_calls" | "length" | "content_filter";

export type ChatStreamEvent =
  | { type: "text"; delta: string }
  | { type: "tool_call"; call: ToolCall }
  /** Always the last event of a successful stream. */
  | { type: "done"; finishReason: FinishReason; usage: TokenUsage };

export interface ChatModel {
  readonly provider: ChatProviderName;
  readonly model: string;
  /** False for the extractive answerer: it quotes passages, writes no prose and calls no tools. */
  readonly generative: boolean;
  /** The context window, in tokens, that context assembly budgets against. */
  readonly contextTokens: number;
  /**
   * Streams one model turn. Failures throw an `AppError` (`ai_provider_error`, `ai_rate_limited`,
   * `ai_timeout`…) with a human message and never the provider's raw body or key.
   */
  stream(request: ChatRequest): AsyncIterable<ChatStreamEvent>;
}
