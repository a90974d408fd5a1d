import { splitInto, type FakeProvider } from "./fake-openai";
import { startLoopbackServer, type RecordedRequest, type ScriptedReply } from "./loopback-server";

export interface FakeAnthropicOptions {
  /** The key the fake accepts in `x-api-key`. */
  apiKey: string;
}

/**
 * A loopback stand-in for Anthropic's Messages API: `POST {baseUrl}/v1/messages` with the key (in
 * `x-api-key` or as a bearer token) and `anthropic-version`, answered with the documented stream of `event: <type>` / `data: <JSON>`
 * frames (message_start, content_block_start/delta/stop, message_delta, message_stop, plus a ping).
 */
export async function startFakeAnthropic(options: FakeAnthropicOptions): Promise<FakeProvider> {
  const server = await startLoopbackServer((request) => checkAnthropicRequest(request, options));
  return Object.assign(server, { baseUrl: server.origin });
}

function checkAnthropicRequest(request: RecordedRequest, options: FakeAnthropicOptions): ScriptedReply | undefined {
  if (request.method !== "POST" || request.path !== "/v1/messages") {
    return anthropicError(404, "not_found_error", `Not found: ${request.method} ${request.path}`);
  }
  // The documented header is x-api-key; SDK 1.x sends the key as a bearer token, which the API accepts too.
  const sentKey = request.headers["x-api-key"] ?? request.headers.authorization?.replace(/^Bearer /, "");
  if (sentKey !== options.apiKey) {
    return anthropicError(401, "authentication_error", "invalid x-api-key");
  }
  if (!request.headers["anthropic-version"]) {
    return anthropicError(400, "invalid_request_error", "anthropic-version: header is required");
  }
  const { model, max_tokens: maxTokens, messages } = request.body;
  if (typeof model !== "string" || typeof maxTokens !== "number" || !Array.isArray(messages)) {
    return anthropicError(400, "invalid_request_error", "model, max_tokens and messages are required");
  }
  return undefined;
}

function anthropicError(
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): ScriptedReply {
  return {
    type: "json",
    status,
    headers: { "request-id": `req_fake${status}`, ...headers },
    body: { type: "error", error: { type, message }, request_id: `req_fake${status}` },
  };
}

const frame = (data: { type: string } & Record<string, unknown>) =>
  `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;

interface ReplyOptions {
  model?: string;
  usage?: { input_tokens: number; output_tokens: number };
  splitFrames?: boolean;
}

let sequence = 0;

function messageStart(options: ReplyOptions) {
  return frame({
    type: "message_start",
    message: {
      id: `msg_fake${++sequence}`,
      type: "message",
      role: "assistant",
      content: [],
      model: options.model ?? "claude-sonnet-4-6",
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: options.usage?.input_tokens ?? 42, output_tokens: 1 },
    },
  });
}

function messageEnd(stopReason: string, options: ReplyOptions) {
  return [
    frame({
      type: "message_delta",
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: options.usage?.output_tokens ?? 7 },
    }),
    frame({ type: "message_stop" }),
  ];
}

function textBlock(index: number, pieces: string[]) {
  return [
    frame({ type: "content_block_start", index, content_block: { type: "text", text: "" } }),
    ...pieces.map((text) => frame({ type: "content_block_delta", index, delta: { type: "text_delta", text } })),
    frame({ type: "content_block_stop", index }),
  ];
}

/** Replies in Anthropic's documented streaming format, for `FakeProvider.enqueue`. */
export const anthropicReplies = {
  /** One text block streamed in the given pieces, stop_reason end_turn. */
  text(pieces: string[], options: ReplyOptions = {}): ScriptedReply {
    return {
      type: "sse",
      frames: [
        messageStart(options),
        frame({ type: "ping" }),
        ...textBlock(0, pieces),
        ...messageEnd("end_turn", options),
      ],
      splitFrames: options.splitFrames,
    };
  },

  /** Optional preamble text, then tool_use blocks whose input arrives as `input_json_delta` pieces; stop_reason tool_use. */
  toolUse(
    calls: { id?: string; name: string; input: unknown }[],
    options: ReplyOptions & { preamble?: string; inputPieces?: number } = {},
  ): ScriptedReply {
    const frames = [messageStart(options)];
    let index = 0;
    if (options.preamble) frames.push(...textBlock(index++, [options.preamble]));
    for (const call of calls) {
      const id = call.id ?? `toolu_fake${++sequence}`;
      frames.push(
        frame({
          type: "content_block_start",
          index,
          content_block: { type: "tool_use", id, name: call.name, input: {} },
        }),
      );
      for (const partial_json of splitInto(JSON.stringify(call.input), options.inputPieces ?? 3)) {
        frames.push(frame({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json } }));
      }
      frames.push(frame({ type: "content_block_stop", index }));
      index++;
    }
    frames.push(...messageEnd("tool_use", options));
    return { type: "sse", frames, splitFrames: options.splitFrames };
  },

  /** HTTP 429 rate_limit_error with `retry-after` in seconds. */
  rateLimited(
    retryAfterSeconds: number,
    message = "Number of request tokens has exceeded your rate limit",
  ): ScriptedReply {
    return anthropicError(429, "rate_limit_error", message, { "retry-after": String(retryAfterSeconds) });
  },

  /** HTTP 500 api_error; `message` lets a test check the body does not leak. */
  serverError(message = "Internal server error"): ScriptedReply {
    return anthropicError(500, "api_error", message);
  },

  /** An `event: error` frame (overloaded_error) after message_start: a failure inside a 200 stream. */
  overloadedMidStream(): ScriptedReply {
    return {
      type: "sse",
      frames: [
        messageStart({}),
        frame({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } } as { type: string }),
      ],
    };
  },

  stallAfter(pieces: string[]): ScriptedReply {
    return {
      type: "sse",
      frames: [
        messageStart({}),
        frame({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
        ...pieces.map((text) => frame({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } })),
      ],
      hangAfterFrames: true,
    };
  },

  hang(): ScriptedReply {
    return { type: "hang" };
  },
};
