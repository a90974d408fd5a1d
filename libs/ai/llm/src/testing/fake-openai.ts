import { startLoopbackServer, type LoopbackServer, type RecordedRequest, type ScriptedReply } from "./loopback-server";

/** A fake provider: point the real SDK at `baseUrl`, queue replies, read back what it sent. */
export interface FakeProvider extends LoopbackServer {
  /** The value to pass as the model's `baseUrl`. */
  readonly baseUrl: string;
}

export interface FakeOpenAiOptions {
  /** The key the fake accepts as `Authorization: Bearer <key>`; unset accepts any or none (a local Ollama). */
  apiKey?: string;
}

/**
 * A loopback stand-in for OpenAI's Chat Completions endpoint (and so for Ollama, vLLM and other
 * compatible servers): `POST {baseUrl}/chat/completions`, answered with the documented stream,
 * `data: <chat.completion.chunk JSON>` frames and a final `data: [DONE]`.
 */
export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeProvider> {
  const server = await startLoopbackServer((request) => checkOpenAiRequest(request, options));
  return Object.assign(server, { baseUrl: `${server.origin}/v1` });
}

function checkOpenAiRequest(request: RecordedRequest, options: FakeOpenAiOptions): ScriptedReply | undefined {
  if (request.method !== "POST" || request.path !== "/v1/chat/completions") {
    return openAiError(
      404,
      "invalid_request_error",
      "unknown_url",
      `Unknown request URL: ${request.method} ${request.path}`,
    );
  }
  if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
    return openAiError(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided.");
  }
  const { model, messages } = request.body;
  if (typeof model !== "string" || !Array.isArray(messages) || messages.length === 0) {
    return openAiError(400, "invalid_request_error", null, "'model' and a non-empty 'messages' are required.");
  }
  return undefined;
}

function openAiError(status: number, type: string, code: string | null, message: string): ScriptedReply {
  return { type: "json", status, body: { error: { message, type, param: null, code } } };
}

interface ReplyOptions {
  model?: string;
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Cut every frame in two writes. */
  splitFrames?: boolean;
}

let sequence = 0;

function frames(chunks: object[], usage: ReplyOptions["usage"], model: string): string[] {
  const id = `chatcmpl-fake${++sequence}`;
  const created = 1_700_000_000;
  const base = { id, object: "chat.completion.chunk", created, model, system_fingerprint: "fp_fake" };
  const out = chunks.map((choice) => `data: ${JSON.stringify({ ...base, choices: [choice] })}\n\n`);
  if (usage) {
    const total = usage.prompt_tokens + usage.completion_tokens;
    out.push(`data: ${JSON.stringify({ ...base, choices: [], usage: { ...usage, total_tokens: total } })}\n\n`);
  }
  out.push("data: [DONE]\n\n");
  return out;
}

const DEFAULT_USAGE = { prompt_tokens: 42, completion_tokens: 7 };

/** Replies in OpenAI's documented streaming format, for `FakeProvider.enqueue`. */
export const openAiReplies = {
  /** Text streamed in the given pieces, then finish_reason "stop" and (with include_usage) a usage chunk. */
  text(pieces: string[], options: ReplyOptions = {}): ScriptedReply {
    const chunks: object[] = [
      { index: 0, delta: { role: "assistant", content: "", refusal: null }, logprobs: null, finish_reason: null },
      ...pieces.map((content) => ({ index: 0, delta: { content }, logprobs: null, finish_reason: null })),
      { index: 0, delta: {}, logprobs: null, finish_reason: "stop" },
    ];
    return {
      type: "sse",
      frames: frames(chunks, options.usage ?? DEFAULT_USAGE, options.model ?? "gpt-4o-mini"),
      splitFrames: options.splitFrames,
    };
  },

  /**
   * One or more tool calls: the first delta of each carries id, type and name with empty arguments,
   * the arguments follow in `argumentPieces` string pieces, then finish_reason "tool_calls".
   */
  toolCalls(
    calls: { id?: string; name: string; arguments: unknown }[],
    options: ReplyOptions & { argumentPieces?: number } = {},
  ): ScriptedReply {
    const chunks: object[] = [
      { index: 0, delta: { role: "assistant", content: null }, logprobs: null, finish_reason: null },
    ];
    calls.forEach((call, index) => {
      const id = call.id ?? `call_fake${++sequence}`;
      chunks.push({
        index: 0,
        delta: { tool_calls: [{ index, id, type: "function", function: { name: call.name, arguments: "" } }] },
        logprobs: null,
        finish_reason: null,
      });
      for (const piece of splitInto(JSON.stringify(call.arguments), options.argumentPieces ?? 3)) {
        chunks.push({
          index: 0,
          delta: { tool_calls: [{ index, function: { arguments: piece } }] },
          logprobs: null,
          finish_reason: null,
        });
      }
    });
    chunks.push({ index: 0, delta: {}, logprobs: null, finish_reason: "tool_calls" });
    return {
      type: "sse",
      frames: frames(chunks, options.usage ?? DEFAULT_USAGE, options.model ?? "gpt-4o-mini"),
      splitFrames: options.splitFrames,
    };
  },

  /** HTTP 429 with `retry-after` (seconds), as OpenAI sends when a rate limit is hit. */
  rateLimited(retryAfterSeconds: number, message = "Rate limit reached for requests"): ScriptedReply {
    return {
      type: "json",
      status: 429,
      headers: { "retry-after": String(retryAfterSeconds), "x-request-id": "req_fake429" },
      body: { error: { message, type: "requests", param: null, code: "rate_limit_exceeded" } },
    };
  },

  /** HTTP 500 with OpenAI's server_error body; `message` lets a test check the body does not leak. */
  serverError(message = "The server had an error while processing your request."): ScriptedReply {
    return {
      type: "json",
      status: 500,
      headers: { "x-request-id": "req_fake500" },
      body: { error: { message, type: "server_error", param: null, code: null } },
    };
  },

  /** Text pieces and then silence with the connection held open: a stream that stalls mid-answer. */
  stallAfter(pieces: string[]): ScriptedReply {
    const all = frames(
      pieces.map((content) => ({ index: 0, delta: { content }, logprobs: null, finish_reason: null })),
      undefined,
      "gpt-4o-mini",
    );
    return { type: "sse", frames: all.slice(0, -1), hangAfterFrames: true };
  },

  hang(): ScriptedReply {
    return { type: "hang" };
  },
};

export function splitInto(text: string, parts: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / parts));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
