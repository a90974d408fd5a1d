import type { FakeProvider } from "./fake-openai";
import { startLoopbackServer, type RecordedRequest, type ScriptedReply } from "./loopback-server";

export interface FakeGoogleOptions {
  /** The key the fake accepts in `x-goog-api-key`. */
  apiKey: string;
}

const STREAM_PATH = /^\/v1beta\/models\/([^/:?]+):streamGenerateContent\?alt=sse$/;

/**
 * A loopback stand-in for the Gemini API's streaming endpoint:
 * `POST {baseUrl}/v1beta/models/{model}:streamGenerateContent?alt=sse` with `x-goog-api-key`,
 * answered as the API does with `?alt=sse`: one `data: <GenerateContentResponse JSON>` per event,
 * frames separated by CRLF CRLF, the last carrying `finishReason` and the complete `usageMetadata`.
 */
export async function startFakeGoogle(options: FakeGoogleOptions): Promise<FakeProvider> {
  const server = await startLoopbackServer((request) => checkGoogleRequest(request, options));
  return Object.assign(server, { baseUrl: server.origin });
}

function checkGoogleRequest(request: RecordedRequest, options: FakeGoogleOptions): ScriptedReply | undefined {
  if (request.method !== "POST" || !STREAM_PATH.test(request.path)) {
    return googleError(404, "NOT_FOUND", `Method not found: ${request.method} ${request.path}`);
  }
  if (request.headers["x-goog-api-key"] !== options.apiKey) {
    return googleError(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.");
  }
  if (!Array.isArray(request.body.contents) || request.body.contents.length === 0) {
    return googleError(400, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: contents is not specified");
  }
  return undefined;
}

function googleError(status: number, code: string, message: string, details?: unknown[]): ScriptedReply {
  return {
    type: "json",
    status,
    body: { error: { code: status, message, status: code, ...(details && { details }) } },
  };
}

interface ReplyOptions {
  model?: string;
  usage?: { promptTokenCount: number; candidatesTokenCount: number };
  splitFrames?: boolean;
}

let sequence = 0;

function frames(partsPerChunk: object[][], finishReason: string | undefined, options: ReplyOptions): string[] {
  const responseId = `fake-response-${++sequence}`;
  const usage = options.usage ?? { promptTokenCount: 42, candidatesTokenCount: 7 };
  return partsPerChunk.map((parts, i) => {
    const isLast = i === partsPerChunk.length - 1;
    const candidate = {
      content: { parts, role: "model" },
      ...(isLast && finishReason && { finishReason }),
      index: 0,
    };
    const seen = isLast ? usage.candidatesTokenCount : i + 1;
    const body = {
      candidates: [candidate],
      usageMetadata: {
        promptTokenCount: usage.promptTokenCount,
        candidatesTokenCount: seen,
        totalTokenCount: usage.promptTokenCount + seen,
      },
      modelVersion: options.model ?? "gemini-2.5-flash",
      responseId,
    };
    return `data: ${JSON.stringify(body)}\r\n\r\n`;
  });
}

/** Replies in the Gemini API's documented `?alt=sse` format, for `FakeProvider.enqueue`. */
export const googleReplies = {
  /** Text in the given pieces, one response each; the last has finishReason STOP and the full usage. */
  text(pieces: string[], options: ReplyOptions = {}): ScriptedReply {
    return {
      type: "sse",
      contentType: "text/event-stream",
      frames: frames(
        pieces.map((text) => [{ text }]),
        "STOP",
        options,
      ),
      splitFrames: options.splitFrames,
    };
  },

  /**
   * Function calls, whole (the Gemini API does not stream their arguments), after optional text.
   * Gemini 2.5+ attaches a `thoughtSignature` to the first call's part; `id` is optional on the wire.
   */
  functionCalls(
    calls: { id?: string; name: string; args: Record<string, unknown> }[],
    options: ReplyOptions & { preamble?: string; thoughtSignature?: string } = {},
  ): ScriptedReply {
    const callParts = calls.map((call, i) => ({
      functionCall: { ...(call.id && { id: call.id }), name: call.name, args: call.args },
      ...(i === 0 && options.thoughtSignature && { thoughtSignature: options.thoughtSignature }),
    }));
    const chunks = [...(options.preamble ? [[{ text: options.preamble }]] : []), callParts];
    return { type: "sse", contentType: "text/event-stream", frames: frames(chunks, "STOP", options) };
  },

  /** HTTP 429 RESOURCE_EXHAUSTED with a google.rpc.RetryInfo `retryDelay`, as the API sends it. */
  rateLimited(retryDelaySeconds: number, message = "Resource has been exhausted (e.g. check quota)."): ScriptedReply {
    return googleError(429, "RESOURCE_EXHAUSTED", message, [
      { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${retryDelaySeconds}s` },
    ]);
  },

  /** HTTP 500 INTERNAL; `message` lets a test check the body does not leak. */
  serverError(
    message = "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
  ): ScriptedReply {
    return googleError(500, "INTERNAL", message);
  },

  stallAfter(pieces: string[]): ScriptedReply {
    return {
      type: "sse",
      contentType: "text/event-stream",
      frames: frames(
        pieces.map((text) => [{ text }]),
        undefined,
        {},
      ),
      hangAfterFrames: true,
    };
  },

  hang(): ScriptedReply {
    return { type: "hang" };
  },
};
