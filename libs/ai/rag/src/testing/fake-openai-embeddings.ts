import {
  fakeEmbedding,
  headerValue,
  startLoopbackServer,
  type LoopbackReply,
  type LoopbackServer,
} from "./loopback-server";

export interface FakeOpenAIEmbeddingsOptions {
  /** The key the server accepts as `Authorization: Bearer <key>`; undefined accepts any request, even without one. */
  apiKey?: string;
  /** Vector length when the request has no `dimensions` (text-embedding-3-small: 1536). */
  nativeDimensions?: number;
  /** Whether the model accepts `dimensions` (text-embedding-3-*: yes; ada-002 and most local models: no). */
  supportsDimensions?: boolean;
}

export interface FakeOpenAIEmbeddings extends LoopbackServer {
  /** Base URL to give the OpenAI SDK (…/v1). */
  baseUrl: string;
}

/** OpenAI's documented per-request input limit. */
const MAX_INPUTS = 2_048;

/**
 * A loopback server speaking OpenAI's `POST /v1/embeddings` as documented: bearer auth, `input` as
 * a string or array (at most 2,048 non-empty strings), optional `dimensions`, `encoding_format`
 * "float" or "base64" (little-endian float32), responses `{ object: "list", data: [{ object:
 * "embedding", index, embedding }], model, usage }` and errors `{ error: { message, type, param, code } }`.
 * Vectors come from `fakeEmbedding` and are deliberately not normalised.
 */
export async function startFakeOpenAIEmbeddings(
  options: FakeOpenAIEmbeddingsOptions = {},
): Promise<FakeOpenAIEmbeddings> {
  const nativeDimensions = options.nativeDimensions ?? 1_536;
  const supportsDimensions = options.supportsDimensions ?? true;

  const server = await startLoopbackServer((request) => {
    if (request.method !== "POST" || request.path !== "/v1/embeddings") {
      return openAIError(404, `Invalid URL (${request.method} ${request.path})`, "invalid_request_error", null);
    }
    if (options.apiKey !== undefined && headerValue(request.headers, "authorization") !== `Bearer ${options.apiKey}`) {
      return openAIError(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
    }
    const body = request.body as {
      model?: unknown;
      input?: unknown;
      dimensions?: unknown;
      encoding_format?: unknown;
    };
    if (typeof body?.model !== "string")
      return openAIError(400, "you must provide a model parameter", "invalid_request_error", null);
    const inputs = typeof body.input === "string" ? [body.input] : body.input;
    if (!Array.isArray(inputs) || inputs.length === 0 || inputs.length > MAX_INPUTS) {
      return openAIError(
        400,
        `'input' must be a string or an array of 1 to ${MAX_INPUTS} strings`,
        "invalid_request_error",
        "input",
      );
    }
    if (inputs.some((input) => typeof input !== "string" || input === "")) {
      return openAIError(400, "'$.input' is invalid. Please check the API reference", "invalid_request_error", "input");
    }
    let dimensions = nativeDimensions;
    if (body.dimensions !== undefined) {
      if (!supportsDimensions) {
        return openAIError(
          400,
          "This model does not support specifying dimensions.",
          "invalid_request_error",
          "dimensions",
        );
      }
      if (typeof body.dimensions !== "number" || body.dimensions < 1 || body.dimensions > nativeDimensions) {
        return openAIError(
          400,
          `dimensions must be between 1 and ${nativeDimensions}`,
          "invalid_request_error",
          "dimensions",
        );
      }
      dimensions = body.dimensions;
    }
    const encoding = body.encoding_format ?? "float";
    if (encoding !== "float" && encoding !== "base64") {
      return openAIError(
        400,
        "encoding_format must be 'float' or 'base64'",
        "invalid_request_error",
        "encoding_format",
      );
    }
    const texts = inputs as string[];
    const tokens = texts.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
    return {
      status: 200,
      headers: { "x-request-id": `req_${server.requests.length}` },
      body: {
        object: "list",
        data: texts.map((text, index) => {
          const vector = fakeEmbedding(text, dimensions);
          return { object: "embedding", index, embedding: encoding === "base64" ? toBase64Float32(vector) : vector };
        }),
        model: body.model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      },
    };
  });
  return Object.assign(server, { baseUrl: `${server.url}/v1` });
}

/** An error reply in OpenAI's documented shape (use with `failNext` for 429/500). */
export function openAIError(
  status: number,
  message: string,
  type = "invalid_request_error",
  code: string | null = null,
  headers?: Record<string, string>,
): LoopbackReply {
  return { status, headers, body: { error: { message, type, param: null, code } } };
}

function toBase64Float32(vector: number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return bytes.toString("base64");
}
