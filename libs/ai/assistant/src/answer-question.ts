import type { TokenUsage } from "@devflow/ai-llm";
import type { RequestContext } from "@devflow/auth";
import type { CitationDto } from "@devflow/contracts";
import { runAnswerLoop, type AssistantToolRegistry } from "./answer-loop";
import { extractCitations } from "./citations";
import { gatherContext, type ContextSources } from "./gather-context";
import type { ChatModel } from "@devflow/ai-llm";

export interface AnswerQuestionDeps extends ContextSources {
  model: ChatModel;
  /** Tools the model may call while answering; the MCP `ask` tool passes none (it is itself a tool). */
  tools?: AssistantToolRegistry;
}

export interface AnswerQuestionInput {
  question: string;
  /** Retrieve from this project only. */
  projectId?: string;
  /** Read this document first (its start, or around `selection`). */
  documentId?: string;
  signal?: AbortSignal;
  maxOutputTokens?: number;
}

export interface AnswerQuestionResult {
  text: string;
  citations: CitationDto[];
  provider: string;
  model: string;
  generative: boolean;
  usage: TokenUsage;
}

/**
 * One question, answered whole (not streamed) from the person's workspace with citations: what the
 * MCP `ask` tool calls (`deps.answer`). It stores nothing and records no activity; the caller
 * records the call (surface "mcp", tool "ask") from the returned model and usage.
 */
export async function answerQuestion(
  deps: AnswerQuestionDeps,
  ctx: RequestContext,
  input: AnswerQuestionInput,
): Promise<AnswerQuestionResult> {
  const maxOutputTokens = input.maxOutputTokens ?? 1_024;
  const context = await gatherContext(deps, ctx, {
    model: deps.model,
    question: input.question,
    history: [],
    where: {
      ...(input.projectId && { projectId: input.projectId }),
      ...(input.documentId && { documentId: input.documentId }),
    },
    hasTools: deps.model.generative && deps.tools !== undefined,
    maxOutputTokens,
    passageLimit: 8,
  });
  const loop = runAnswerLoop({
    ctx,
    model: deps.model,
    messages: context.messages,
    passages: context.passages,
    ...(deps.tools && { tools: deps.tools }),
    maxToolRounds: 3,
    maxOutputTokens,
    ...(input.signal && { signal: input.signal }),
  });
  let step = await loop.next();
  while (!step.done) step = await loop.next();
  const { citations, text } = extractCitations(step.value.text, context.passages);
  return {
    text,
    citations,
    provider: deps.model.provider,
    model: deps.model.model,
    generative: deps.model.generative,
    usage: step.value.usage,
  };
}
