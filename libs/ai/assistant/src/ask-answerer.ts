import type { AnswerQuestion } from "@devflow/ai-tools";
import { estimateCostUsd } from "@devflow/ai-llm";
import { isAppError } from "@devflow/util-core";
import { answerQuestion, type AnswerQuestionDeps } from "./answer-question";
import type { AiActivityRecorder } from "./assistant.service";

export interface AskAnswererDeps extends AnswerQuestionDeps {
  /** Records each answer's model call in AI activity (surface of the caller, tool "ask"). */
  activity?: AiActivityRecorder;
  onBackgroundError?: (error: unknown, what: string) => void;
  now?: () => number;
}

/**
 * `deps.answer` for the tool registry's `ask` tool (MCP): answers with `answerQuestion` as the
 * caller and records the model call, failed ones included, in AI activity.
 */
export function createAskAnswerer(deps: AskAnswererDeps): AnswerQuestion {
  const now = deps.now ?? Date.now;
  return async (call, input) => {
    const started = now();
    const { model } = deps;
    const record = async (entry: {
      status: "ok" | "error";
      errorCode: string | null;
      inputTokens: number;
      outputTokens: number;
    }) => {
      try {
        await deps.activity?.record(call.ctx, {
          surface: call.agent.surface,
          tool: "ask",
          projectId: input.projectId ?? null,
          provider: model.provider,
          model: model.model,
          inputTokens: entry.inputTokens,
          outputTokens: entry.outputTokens,
          latencyMs: Math.max(0, Math.round(now() - started)),
          costUsd: estimateCostUsd(model.provider, model.model, entry),
          status: entry.status,
          errorCode: entry.errorCode,
        });
      } catch (error) {
        deps.onBackgroundError?.(error, "recording AI activity");
      }
    };
    try {
      const answer = await answerQuestion(deps, call.ctx, { ...input, ...(call.signal && { signal: call.signal }) });
      await record({ status: "ok", errorCode: null, ...answer.usage });
      return { text: answer.text, citations: answer.citations };
    } catch (error) {
      const code = call.signal?.aborted ? "cancelled" : isAppError(error) ? error.code : "internal";
      await record({ status: "error", errorCode: code, inputTokens: 0, outputTokens: 0 });
      throw error;
    }
  };
}
