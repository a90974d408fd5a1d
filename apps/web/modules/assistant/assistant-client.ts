import {
  AssistantStatusSchema,
  AssistantStreamEventSchema,
  CheckCitationsResponseSchema,
  ConversationDetailSchema,
  ConversationSchema,
  ErrorEnvelopeSchema,
  pageOf,
  type AssistantStatusDto,
  type AssistantStreamEvent,
  type CheckCitationsInput,
  type CitationCheckDto,
  type ConversationDetailDto,
  type ConversationDto,
  type CreateConversationInput,
  type Page,
  type SendMessageInput,
} from "@devflow/contracts";
import { createTokenSource, fetchServiceToken, type TokenSource } from "@devflow/web-data-access";
import { readServerSentEvents } from "./sse-reader";

/** A failed call to the assistant API, with the server's code and its message for people. */
export class AssistantApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "AssistantApiError";
  }
}

const ConversationPageSchema = pageOf(ConversationSchema);

export interface AssistantClientOptions {
  /** Where the ai service is (`AI_PUBLIC_URL`). */
  aiUrl: string;
  organizationId: string;
  tokens?: TokenSource;
  fetchFn?: typeof fetch;
}

export type AssistantClient = ReturnType<typeof createAssistantClient>;

/**
 * The browser's client for the ai service's assistant API: a service token for "ai" from the web
 * app (cached until shortly before it expires, refetched once when refused), JSON calls, and the
 * answer stream read as server-sent events.
 */
export function createAssistantClient({ aiUrl, organizationId, tokens, fetchFn = fetch }: AssistantClientOptions) {
  const source = tokens ?? createTokenSource({ fetchToken: () => fetchServiceToken(organizationId, "ai") });
  const base = aiUrl.replace(/\/+$/, "");

  async function send(path: string, init: RequestInit = {}, isRetry = false): Promise<Response> {
    let token: string;
    try {
      token = await source.get();
    } catch {
      throw new AssistantApiError(
        0,
        "unavailable",
        "Could not sign in to the assistant. Reload the page to try again.",
      );
    }
    let response: Response;
    try {
      response = await fetchFn(`${base}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${token}`,
          ...(init.body !== undefined && { "content-type": "application/json" }),
          ...init.headers,
        },
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new AssistantApiError(
        0,
        "unavailable",
        "The assistant cannot be reached. Check your connection and try again.",
      );
    }
    if (response.status === 401 && !isRetry) {
      source.invalidate();
      return send(path, init, true);
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  }

  const json = async <T>(path: string, parse: (value: unknown) => T, init?: RequestInit) =>
    parse(await (await send(path, init)).json());

  return {
    status: (): Promise<AssistantStatusDto> => json("/v1/assistant/status", (v) => AssistantStatusSchema.parse(v)),

    listConversations: (cursor?: string | null, limit = 30): Promise<Page<ConversationDto>> =>
      json(`/v1/assistant/conversations?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, (v) =>
        ConversationPageSchema.parse(v),
      ),

    getConversation: (id: string): Promise<ConversationDetailDto> =>
      json(`/v1/assistant/conversations/${encodeURIComponent(id)}`, (v) => ConversationDetailSchema.parse(v)),

    createConversation: (input: CreateConversationInput): Promise<ConversationDto> =>
      json("/v1/assistant/conversations", (v) => ConversationSchema.parse(v), {
        method: "POST",
        body: JSON.stringify(input),
      }),

    renameConversation: (id: string, title: string): Promise<ConversationDto> =>
      json(`/v1/assistant/conversations/${encodeURIComponent(id)}`, (v) => ConversationSchema.parse(v), {
        method: "PATCH",
        body: JSON.stringify({ title }),
      }),

    async deleteConversation(id: string): Promise<void> {
      await send(`/v1/assistant/conversations/${encodeURIComponent(id)}`, { method: "DELETE" });
    },

    checkCitations: async (citations: CheckCitationsInput["citations"]): Promise<CitationCheckDto[]> =>
      (
        await json("/v1/assistant/citations/check", (v) => CheckCitationsResponseSchema.parse(v), {
          method: "POST",
          body: JSON.stringify({ citations }),
        })
      ).results,

    /** Asks in a conversation; yields the answer's events as they arrive. Aborting `signal` stops the answer. */
    async *ask(
      conversationId: string,
      input: SendMessageInput,
      signal: AbortSignal,
    ): AsyncGenerator<AssistantStreamEvent> {
      const response = await send(`/v1/assistant/conversations/${encodeURIComponent(conversationId)}/messages`, {
        method: "POST",
        body: JSON.stringify(input),
        signal,
      });
      if (!response.body) throw new AssistantApiError(0, "internal", "The assistant sent no answer.");
      for await (const frame of readServerSentEvents(response.body)) {
        const parsed = AssistantStreamEventSchema.safeParse({ event: frame.event, data: safeJson(frame.data) });
        // An event this page does not know (a newer server) is skipped, not fatal.
        if (parsed.success) yield parsed.data;
      }
    },
  };
}

async function errorOf(response: Response): Promise<AssistantApiError> {
  const body = ErrorEnvelopeSchema.safeParse(await response.json().catch(() => null));
  if (body.success) return new AssistantApiError(response.status, body.data.error.code, body.data.error.message);
  return new AssistantApiError(response.status, "internal", `The assistant answered ${response.status}. Try again.`);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
