/**
 * Which language model and embeddings the apps use, and the rules that tie each provider to the
 * settings it needs. web, worker and ai read the same variables (schemas.ts spreads them in).
 */
import { z } from "zod";

/**
 * The assistant's language model (apps/ai). The default, `extractive`, needs nothing: it quotes the
 * best-matching passages and says that no language model is configured. See libs/ai/llm/README.md.
 */
export const aiChat = {
  AI_CHAT_PROVIDER: z
    .enum(["extractive", "openai", "anthropic", "google", "openai-compatible"], {
      message: "expected extractive, openai, anthropic, google or openai-compatible",
    })
    .default("extractive"),
  /** The provider's model id: gpt-4o-mini, claude-sonnet-4-6, gemini-2.5-flash, llama3.1:8b… */
  AI_CHAT_MODEL: z.string().min(1).max(200).optional(),
  /** The API's address; required for openai-compatible (e.g. http://localhost:11434/v1 for Ollama). */
  AI_CHAT_BASE_URL: z.url({ message: "expected a URL such as http://localhost:11434/v1" }).optional(),
  /** Secret. Required for openai, anthropic and google; optional for openai-compatible. */
  AI_CHAT_API_KEY: z.string().min(1).optional(),
  /** Budget for one model turn, retries included. */
  AI_CHAT_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(60_000),
  /** Output cap for one model turn. */
  AI_CHAT_MAX_OUTPUT_TOKENS: z.coerce.number().int().min(16).max(65_536).default(1024),
};

/**
 * Embeddings and where vectors live (web for search, ai for retrieval, worker for indexing: all three
 * must agree, or queries are embedded by another model than the chunks they are compared with).
 */
export const aiEmbeddings = {
  AI_EMBEDDINGS_PROVIDER: z
    .enum(["offline", "openai", "google", "openai-compatible"], {
      message: "expected offline, openai, google or openai-compatible",
    })
    .default("offline"),
  AI_EMBEDDINGS_MODEL: z.string().min(1).max(200).optional(),
  AI_EMBEDDINGS_BASE_URL: z.url({ message: "expected a URL such as http://localhost:11434/v1" }).optional(),
  /** Secret. Required for openai and google; optional for openai-compatible. */
  AI_EMBEDDINGS_API_KEY: z.string().min(1).optional(),
  AI_VECTOR_STORE: z.enum(["pgvector", "pinecone"], { message: "expected pgvector or pinecone" }).default("pgvector"),
  /** Secret. Required with AI_VECTOR_STORE=pinecone. */
  PINECONE_API_KEY: z.string().min(1).optional(),
  /**
   * The index's data-plane address as the Pinecone console shows it (`my-index-abc123.svc.….pinecone.io`,
   * with or without https://); stored as a URL.
   */
  PINECONE_INDEX_HOST: z
    .string()
    .transform((v) => (/^https?:\/\//.test(v) ? v : `https://${v}`))
    .pipe(z.url({ message: "expected the index host, e.g. my-index-abc123.svc.aped-4627-b74a.pinecone.io" }))
    .optional(),
};

type Issues = z.RefinementCtx;
type AiChatSettings = z.infer<z.ZodObject<typeof aiChat>>;
type AiEmbeddingSettings = z.infer<z.ZodObject<typeof aiEmbeddings>>;

function requireFor(ctx: Issues, value: unknown, path: string, message: string) {
  if (value === undefined || value === "") ctx.addIssue({ code: "custom", path: [path], message });
}

/** A hosted chat provider needs a model and a key; an OpenAI-compatible server needs a base URL and a model. */
export function validateAiChat(config: AiChatSettings, ctx: Issues) {
  const provider = config.AI_CHAT_PROVIDER;
  if (provider === "extractive") return;
  const example = {
    openai: "gpt-4o-mini",
    anthropic: "claude-sonnet-4-6",
    google: "gemini-2.5-flash",
    "openai-compatible": "llama3.1:8b",
  };
  requireFor(
    ctx,
    config.AI_CHAT_MODEL,
    "AI_CHAT_MODEL",
    `is required when AI_CHAT_PROVIDER=${provider} (e.g. ${example[provider]})`,
  );
  if (provider === "openai-compatible") {
    requireFor(
      ctx,
      config.AI_CHAT_BASE_URL,
      "AI_CHAT_BASE_URL",
      "is required when AI_CHAT_PROVIDER=openai-compatible (e.g. http://localhost:11434/v1)",
    );
  } else {
    requireFor(ctx, config.AI_CHAT_API_KEY, "AI_CHAT_API_KEY", `is required when AI_CHAT_PROVIDER=${provider}`);
  }
}

/** Same rules for embeddings; Pinecone needs its key and the index host. */
export function validateAiEmbeddings(config: AiEmbeddingSettings, ctx: Issues) {
  const provider = config.AI_EMBEDDINGS_PROVIDER;
  if (provider !== "offline") {
    const example = {
      openai: "text-embedding-3-small",
      google: "gemini-embedding-001",
      "openai-compatible": "nomic-embed-text",
    };
    requireFor(
      ctx,
      config.AI_EMBEDDINGS_MODEL,
      "AI_EMBEDDINGS_MODEL",
      `is required when AI_EMBEDDINGS_PROVIDER=${provider} (e.g. ${example[provider]})`,
    );
    if (provider === "openai-compatible") {
      requireFor(
        ctx,
        config.AI_EMBEDDINGS_BASE_URL,
        "AI_EMBEDDINGS_BASE_URL",
        "is required when AI_EMBEDDINGS_PROVIDER=openai-compatible",
      );
    } else {
      requireFor(
        ctx,
        config.AI_EMBEDDINGS_API_KEY,
        "AI_EMBEDDINGS_API_KEY",
        `is required when AI_EMBEDDINGS_PROVIDER=${provider}`,
      );
    }
  }
  if (config.AI_VECTOR_STORE === "pinecone") {
    requireFor(ctx, config.PINECONE_API_KEY, "PINECONE_API_KEY", "is required when AI_VECTOR_STORE=pinecone");
    requireFor(
      ctx,
      config.PINECONE_INDEX_HOST,
      "PINECONE_INDEX_HOST",
      "is required when AI_VECTOR_STORE=pinecone (the index's host from the Pinecone console)",
    );
  }
}
