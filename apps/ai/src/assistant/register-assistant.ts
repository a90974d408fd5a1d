import {
  createAssistant,
  createCitationChecker,
  type AiActivityRecorder,
  type AssistantToolRegistry,
} from "@devflow/ai-assistant";
import { chatModelFromConfig, type ChatModel } from "@devflow/ai-llm";
import type { Embedder, RetrievalService } from "@devflow/ai-rag";
import { createToolRegistry } from "@devflow/ai-tools";
import type { RequestContext } from "@devflow/auth";
import {
  CHAT_MESSAGE_MAX,
  CheckCitationsInputSchema,
  CreateConversationInputSchema,
  ListConversationsQuerySchema,
  SendMessageInputSchema,
  UpdateConversationInputSchema,
} from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { createAiActivityService } from "@devflow/domain-ai-activity";
import { createChatService } from "@devflow/domain-chat";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import type { Logger } from "@devflow/observability";
import type { ServiceApp } from "@devflow/observability/service";
import { servicePrincipal } from "@devflow/runtime";
import type { AiConfig } from "@devflow/util-config";
import { notFound } from "@devflow/util-core";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { openEventStream } from "./event-stream";
import { createRateLimiter } from "./rate-limit";

export interface AssistantRouteDeps {
  config: Pick<AiConfig, "AI_ASSISTANT_RATE_LIMIT_PER_MINUTE" | "AI_ASSISTANT_MAX_TOOL_ROUNDS"> &
    Parameters<typeof chatModelFromConfig>[0];
  db: Database;
  logger: Logger;
  /** Retrieval over the index, with the embedder and store the index was built with. */
  retrieval: RetrievalService;
  /** The same embedder, whole, for triage_issue; without it the tool is not offered. */
  embedder?: Embedder;
  /** The model that answers; by default the one the config names (the extractive answerer when none). */
  model?: ChatModel;
  /** The workspace tools; by default the registry's assistant surface over this database. */
  tools?: AssistantToolRegistry;
  activity?: AiActivityRecorder;
}

/** A sent message's body: the 8k-character question, its context, and JSON's overhead. */
const MESSAGE_BODY_LIMIT = CHAT_MESSAGE_MAX * 4 + 4_096;
const IdParams = z.object({ id: z.string() });

/**
 * The assistant's HTTP API under `/v1/assistant/` (behind the service-token check): the person's
 * conversations, asking a question (answered as `text/event-stream`), and checking whether cited
 * passages changed since. The browser calls it directly; see `registerAssistantCors`.
 */
export function registerAssistant(app: ServiceApp, deps: AssistantRouteDeps): void {
  const { db, logger } = deps;
  const model = deps.model ?? chatModelFromConfig(deps.config);
  const { retrieval } = deps;
  const documents = createDocumentsService(db);
  const chat = createChatService(db);
  const assistant = createAssistant(
    {
      model,
      chat,
      retrieval,
      documents,
      projects: createProjectsService(db),
      tools: deps.tools ?? createToolRegistry({ db, retrieval, ...(deps.embedder && { embedder: deps.embedder }) }),
      activity: deps.activity ?? createAiActivityService(db),
      onBackgroundError: (err, what) => logger.error({ err }, `assistant: failed ${what}`),
    },
    { maxToolRounds: deps.config.AI_ASSISTANT_MAX_TOOL_ROUNDS, maxOutputTokens: deps.config.AI_CHAT_MAX_OUTPUT_TOKENS },
  );
  const checkCitations = createCitationChecker({ db, documents });
  const askLimiter = createRateLimiter({ limit: deps.config.AI_ASSISTANT_RATE_LIMIT_PER_MINUTE, windowMs: 60_000 });
  // Creating, renaming and checking are cheap, but still bounded per person.
  const writeLimiter = createRateLimiter({ limit: 120, windowMs: 60_000 });

  app.get("/v1/assistant/status", async () => assistant.status());

  app.get("/v1/assistant/conversations", async (request) =>
    chat.list(contextOf(request), ListConversationsQuerySchema.parse(request.query)),
  );

  app.post("/v1/assistant/conversations", async (request, reply) => {
    const ctx = contextOf(request);
    writeLimiter.consume(ctx.actor.userId);
    const conversation = await chat.create(ctx, CreateConversationInputSchema.parse(request.body ?? {}));
    return reply.code(201).send(conversation);
  });

  app.get("/v1/assistant/conversations/:id", async (request) => chat.get(contextOf(request), conversationId(request)));

  app.patch("/v1/assistant/conversations/:id", async (request) => {
    const ctx = contextOf(request);
    writeLimiter.consume(ctx.actor.userId);
    return chat.rename(ctx, conversationId(request), UpdateConversationInputSchema.parse(request.body));
  });

  app.delete("/v1/assistant/conversations/:id", async (request, reply) => {
    await chat.remove(contextOf(request), conversationId(request));
    return reply.code(204).send();
  });

  app.post("/v1/assistant/conversations/:id/messages", { bodyLimit: MESSAGE_BODY_LIMIT }, async (request, reply) => {
    const ctx = contextOf(request);
    const id = conversationId(request);
    const input = SendMessageInputSchema.parse(request.body);
    askLimiter.consume(ctx.actor.userId);
    // Storing the question checks the conversation is the person's: failures here are plain JSON errors.
    const pending = await assistant.ask(ctx, id, input);
    const stream = openEventStream(request, reply);
    const started = Date.now();
    try {
      for await (const event of pending.stream(stream.signal)) stream.send(event);
    } finally {
      stream.end();
      request.log.info(
        { conversationId: id, aborted: stream.signal.aborted, durationMs: Date.now() - started },
        "assistant answer streamed",
      );
    }
  });

  app.post("/v1/assistant/citations/check", async (request) => {
    const ctx = contextOf(request);
    writeLimiter.consume(ctx.actor.userId);
    const { citations } = CheckCitationsInputSchema.parse(request.body);
    return { results: await checkCitations(ctx, citations) };
  });
}

/** The person the service token acts for, as every domain call expects them. */
function contextOf(request: FastifyRequest): RequestContext {
  const principal = servicePrincipal(request);
  return {
    organizationId: principal.organizationId,
    actor: { userId: principal.userId, role: principal.role },
    requestId: request.id,
    ipAddress: request.ip,
  };
}

/** A conversation id that is not a UUID names no conversation: 404, like any other missing one. */
function conversationId(request: FastifyRequest): string {
  const { id } = IdParams.parse(request.params);
  if (!z.uuid().safeParse(id).success) throw notFound("Conversation", id.slice(0, 64));
  return id;
}
