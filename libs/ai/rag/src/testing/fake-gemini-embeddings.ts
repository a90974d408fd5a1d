import {
  fakeEmbedding,
  headerValue,
  startLoopbackServer,
  type LoopbackReply,
  type LoopbackServer,
} from "./loopback-server";

export interface FakeGeminiEmbeddingsOptions {
  /** The key the server accepts in `x-goog-api-key`. */
  apiKey: string;
  /** Vector length when a request has no `outputDimensionality` (gemini-embedding-001: 3072). */
  nativeDimensions?: number;
  /** Answer at the native size whatever `outputDimensionality` asks (as models without Matryoshka support do). */
  ignoreOutputDimensionality?: boolean;
}

/** The Gemini API's documented limit on requests in one batchEmbedContents call. */
const MAX_BATCH = 100;

interface EmbedRequest {
  model?: unknown;
  content?: { parts?: { text?: unknown }[] };
  outputDimensionality?: unknown;
  taskType?: unknown;
}

/**
 * A loopback server speaking the Gemini API's embedding methods as documented (v1beta):
 * `POST /v1beta/models/{model}:embedContent` → `{ embedding: { values } }` and
 * `POST /v1beta/models/{model}:batchEmbedContents` with `{ requests: [{ model: "models/{model}",
 * content: { parts: [{ text }] }, outputDimensionality?, taskType? }] }` (at most 100) →
 * `{ embeddings: [{ values }] }`; key in `x-goog-api-key`; errors `{ error: { code, message, status } }`.
 * Like the real models at reduced dimensionality, vectors are not normalised.
 */
export async function startFakeGeminiEmbeddings(options: FakeGeminiEmbeddingsOptions): Promise<LoopbackServer> {
  return startLoopbackServer((request) => {
    const match = /^\/v1beta\/models\/([^/:]+):(embedContent|batchEmbedContents)$/.exec(request.path);
    if (request.method !== "POST" || !match) return geminiError(404, "NOT_FOUND", `No route for ${request.path}`);
    if (headerValue(request.headers, "x-goog-api-key") !== options.apiKey) {
      return geminiError(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.");
    }
    const model = `models/${decodeURIComponent(match[1]!)}`;
    if (match[2] === "embedContent") {
      const result = embedOne(request.body as EmbedRequest, model, options, false);
      return "error" in result ? result.error : { status: 200, body: { embedding: { values: result.values } } };
    }
    const requests = (request.body as { requests?: unknown })?.requests;
    if (!Array.isArray(requests) || requests.length === 0) {
      return geminiError(400, "INVALID_ARGUMENT", "* BatchEmbedContentsRequest.requests: requests is required");
    }
    if (requests.length > MAX_BATCH) {
      return geminiError(
        400,
        "INVALID_ARGUMENT",
        `* BatchEmbedContentsRequest.requests: at most ${MAX_BATCH} requests can be in one batch`,
      );
    }
    const embeddings: { values: number[] }[] = [];
    for (const item of requests as EmbedRequest[]) {
      const result = embedOne(item, model, options, true);
      if ("error" in result) return result.error;
      embeddings.push({ values: result.values });
    }
    return { status: 200, body: { embeddings } };
  });
}

function embedOne(
  request: EmbedRequest,
  model: string,
  options: FakeGeminiEmbeddingsOptions,
  inBatch: boolean,
): { values: number[] } | { error: LoopbackReply } {
  // In a batch every request names its model, and it must be the one in the URL.
  if (inBatch && request.model !== model) {
    return {
      error: geminiError(
        400,
        "INVALID_ARGUMENT",
        `* BatchEmbedContentsRequest.model: model in request (${String(request.model)}) must match ${model}`,
      ),
    };
  }
  const parts = request.content?.parts;
  if (!Array.isArray(parts) || parts.length === 0 || parts.some((p) => typeof p.text !== "string")) {
    return { error: geminiError(400, "INVALID_ARGUMENT", "* EmbedContentRequest.content: contents is not specified") };
  }
  const text = parts.map((p) => p.text as string).join(" ");
  if (text.trim() === "") {
    return { error: geminiError(400, "INVALID_ARGUMENT", "* EmbedContentRequest.content: text is empty") };
  }
  const nativeDimensions = options.nativeDimensions ?? 3_072;
  let dimensions = nativeDimensions;
  if (request.outputDimensionality !== undefined && !options.ignoreOutputDimensionality) {
    const d = request.outputDimensionality;
    if (typeof d !== "number" || !Number.isInteger(d) || d < 1 || d > nativeDimensions) {
      return {
        error: geminiError(400, "INVALID_ARGUMENT", `outputDimensionality must be between 1 and ${nativeDimensions}`),
      };
    }
    dimensions = d;
  }
  return { values: fakeEmbedding(text, dimensions) };
}

/** An error reply in the Gemini API's documented shape (use with `failNext`: 429 RESOURCE_EXHAUSTED, 500 INTERNAL). */
export function geminiError(code: number, status: string, message: string): LoopbackReply {
  return { status: code, body: { error: { code, message, status } } };
}
