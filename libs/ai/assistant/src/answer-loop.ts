import type { ChatMessage, ChatModel, CitablePassage, ToolCall, ToolSpec, TokenUsage } from "@devflow/ai-llm";
import type { ToolCallContext, ToolDefinition, ToolResult } from "@devflow/ai-tools";
import type { RequestContext } from "@devflow/auth";
import type { ToolActivityDto } from "@devflow/contracts";
import { isAppError } from "@devflow/util-core";
import { z } from "zod";

/** The part of the tool registry (`createToolRegistry`) the assistant uses. */
export interface AssistantToolRegistry {
  list(
    ctx: RequestContext,
    surface: "assistant",
  ):
    | readonly Pick<ToolDefinition, "name" | "description" | "input">[]
    | Promise<readonly Pick<ToolDefinition, "name" | "description" | "input">[]>;
  call(call: ToolCallContext, name: string, rawInput: unknown): Promise<ToolResult>;
}

export type LoopEvent =
  | { type: "delta"; text: string }
  /** A tool started (`running`) or finished (`ok`/`error`). */
  | { type: "tool"; activity: ToolActivityDto; result?: ToolResult };

export interface LoopResult {
  /** Everything the model wrote, across rounds. */
  text: string;
  usage: TokenUsage;
  /** The tools run, in their final state. */
  tools: ToolActivityDto[];
  rounds: number;
}

export interface AnswerLoopOptions {
  ctx: RequestContext;
  model: ChatModel;
  messages: readonly ChatMessage[];
  passages: readonly CitablePassage[];
  /** Absent (or a non-generative model): one plain model turn. */
  tools?: AssistantToolRegistry;
  /** Model turns that may call tools; one more turn without tools then has to answer. */
  maxToolRounds: number;
  maxOutputTokens: number;
  signal?: AbortSignal;
  /** Turns a finished tool call into what the person sees (a proposal to accept, say). */
  describeTool?: (call: ToolCall, result: ToolResult) => Promise<Partial<ToolActivityDto>>;
}

/** Longest tool result fed back to the model, in characters: a huge document must not flood the window. */
export const TOOL_RESULT_MAX_CHARS = 12_000;

/**
 * The answer loop: stream a model turn; when it asks for tools, run them through the registry's
 * assistant surface (as the person, so they only reach what the person may), feed the results
 * back and stream the next turn, for at most `maxToolRounds` rounds. A failing tool becomes an
 * error result the model can read and recover from, not a failed answer.
 */
export async function* runAnswerLoop(options: AnswerLoopOptions): AsyncGenerator<LoopEvent, LoopResult> {
  const { ctx, model, passages, maxToolRounds, signal } = options;
  const registry = model.generative ? options.tools : undefined;
  const specs = registry ? toToolSpecs(await registry.list(ctx, "assistant")) : [];
  const messages = [...options.messages];
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  const tools: ToolActivityDto[] = [];
  let text = "";
  let rounds = 0;

  for (let round = 0; round <= maxToolRounds; round++) {
    rounds = round + 1;
    signal?.throwIfAborted();
    const offerTools = specs.length > 0 && round < maxToolRounds;
    const calls: ToolCall[] = [];
    let turnText = "";
    for await (const event of model.stream({
      messages,
      passages,
      ...(offerTools && { tools: specs }),
      maxOutputTokens: options.maxOutputTokens,
      ...(signal && { signal }),
    })) {
      if (event.type === "text") {
        turnText += event.delta;
        yield { type: "delta", text: event.delta };
      } else if (event.type === "tool_call") {
        calls.push(event.call);
      } else {
        usage.inputTokens += event.usage.inputTokens;
        usage.outputTokens += event.usage.outputTokens;
      }
    }
    text += turnText;
    if (calls.length === 0 || !registry || !offerTools) break;

    messages.push({ role: "assistant", content: turnText, toolCalls: calls });
    for (const call of calls) {
      const activity: ToolActivityDto = { callId: call.id, name: call.name, status: "running", summary: null };
      yield { type: "tool", activity };
      const outcome = await runTool(registry, { ctx, agent: ASSISTANT_AGENT, ...(signal && { signal }) }, call);
      const finished: ToolActivityDto = outcome.ok
        ? {
            ...activity,
            status: "ok",
            summary: summarize(outcome.result),
            ...(options.describeTool ? await options.describeTool(call, outcome.result) : {}),
          }
        : { ...activity, status: "error", summary: outcome.message };
      tools.push(finished);
      yield { type: "tool", activity: finished, ...(outcome.ok && { result: outcome.result }) };
      messages.push({
        role: "tool",
        toolCallId: call.id,
        name: call.name,
        content: outcome.ok ? clip(outcome.result.text) : `The tool failed: ${outcome.message}`,
      });
    }
    // Keep prose of separate turns apart in the one answer the person reads.
    if (turnText && !/\s$/.test(turnText)) {
      text += "\n\n";
      yield { type: "delta", text: "\n\n" };
    }
  }
  return { text, usage, tools, rounds };
}

export const ASSISTANT_AGENT = { surface: "assistant", name: "DevFlow assistant" } as const;

type ToolOutcome = { ok: true; result: ToolResult } | { ok: false; message: string };

async function runTool(
  registry: AssistantToolRegistry,
  call: ToolCallContext,
  toolCall: ToolCall,
): Promise<ToolOutcome> {
  try {
    return { ok: true, result: await registry.call(call, toolCall.name, toolCall.arguments) };
  } catch (error) {
    call.signal?.throwIfAborted();
    // Expected failures (bad input, not found, forbidden) carry a message meant for people;
    // anything else is not ours to show, so the model hears only that it failed.
    return { ok: false, message: isAppError(error) && error.code !== "internal" ? error.message : "unexpected error" };
  }
}

function toToolSpecs(tools: readonly Pick<ToolDefinition, "name" | "description" | "input">[]): ToolSpec[] {
  return tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: z.toJSONSchema(tool.input, { io: "input", unrepresentable: "any" }) as Record<string, unknown>,
  }));
}

function summarize(result: ToolResult): string | null {
  const titles = [...new Set(result.sources.map((s) => s.title))];
  if (titles.length === 0) return null;
  const shown = titles.slice(0, 3).join(", ");
  return titles.length > 3 ? `${shown} and ${titles.length - 3} more` : shown;
}

function clip(text: string): string {
  return text.length <= TOOL_RESULT_MAX_CHARS ? text : `${text.slice(0, TOOL_RESULT_MAX_CHARS)}\n…(truncated)`;
}
