import type { ChatModel } from "@devflow/ai-llm";
import {
  PR_REVIEW_FINDINGS_MAX,
  PrDocNoteSchema,
  type PrDocNote,
  type PrModelFinding,
  type PrReview,
} from "@devflow/contracts";
import { z } from "zod";
import type { FetchedFile } from "./analyze";
import { bySeverity, fingerprintOf } from "./findings";
import { buildReviewPrompt, type ReviewPromptInput } from "./review-prompt";

/** Output tokens asked for: a summary, ten findings and a note per doc fit well within it. */
const REVIEW_OUTPUT_TOKENS = 2_000;
/** The prompt's share of the model's context window, in characters (about four per token). */
const PROMPT_CHARS_MAX = 60_000;
const SUMMARY_CHARS_MAX = 1_500;
const MESSAGE_CHARS_MAX = 500;
const EXPLANATION_CHARS_MAX = 1_000;

export interface ReviewOptions {
  /** Fingerprints of the model findings of this pull request's previous analysis, to the head commit first seen at. */
  known: ReadonlyMap<string, string>;
  /** Aborted when the step's attempt is abandoned. */
  signal?: AbortSignal;
}

/**
 * One model call reviewing the pull request, its answer parsed and checked against the diff. Never
 * throws for the model: a failed call or an answer that is not the JSON asked for is returned as
 * `{ error }`, so the rule-based comment is posted either way. Only the caller's signal aborting is thrown.
 */
export async function reviewPullRequest(
  model: ChatModel,
  input: Omit<ReviewPromptInput, "budgetChars">,
  options: ReviewOptions,
): Promise<PrReview> {
  const who = { model: model.model, provider: model.provider };
  const budgetChars = Math.max(4_000, Math.min(PROMPT_CHARS_MAX, (model.contextTokens - REVIEW_OUTPUT_TOKENS) * 3));
  const prompt = buildReviewPrompt({ ...input, budgetChars });
  let text = "";
  try {
    for await (const event of model.stream({
      messages: prompt.messages,
      maxOutputTokens: REVIEW_OUTPUT_TOKENS,
      signal: options.signal,
    })) {
      if (event.type === "text") text += event.delta;
      else if (event.type === "done" && event.finishReason !== "stop") {
        return { ...who, error: `The answer stopped early (${event.finishReason})` };
      }
    }
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { ...who, error: error instanceof Error ? error.message : String(error) };
  }
  return parseReviewAnswer(text, {
    ...who,
    files: input.pr.files,
    headSha: input.pr.headSha,
    documentIds: prompt.documentIds,
    known: options.known,
  });
}

const AnswerSchema = z.object({
  summary: z.string().trim().min(1),
  findings: z.array(z.unknown()).default([]),
  docs: z.array(z.unknown()).default([]),
});
const AnswerFindingSchema = z.object({
  file: z.string(),
  line: z.coerce.number().int().positive(),
  severity: z.enum(["info", "warning", "critical"]),
  message: z.string().trim().min(1),
});

export interface ParseContext {
  model: string;
  provider: string;
  /** The fetched files: a finding must be at one of their added lines. */
  files: readonly FetchedFile[];
  headSha: string;
  /** The docs the prompt showed: a note naming another id is dropped. */
  documentIds: readonly string[];
  known: ReadonlyMap<string, string>;
}

/**
 * The model's answer as a review: the JSON object (a code fence or words around it are tolerated),
 * its summary, its findings that sit at an added line of the diff (fingerprinted like rule findings,
 * at most PR_REVIEW_FINDINGS_MAX, most severe first) and one note per doc the prompt showed. Anything
 * else in the answer is dropped; an answer with no such object or no summary is an `{ error }`.
 */
export function parseReviewAnswer(text: string, ctx: ParseContext): PrReview {
  const who = { model: ctx.model, provider: ctx.provider };
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start === -1 || end < start) return { ...who, error: "The answer held no JSON object" };
  let json: unknown;
  try {
    json = JSON.parse(text.slice(start, end + 1));
  } catch {
    return { ...who, error: "The answer's JSON did not parse" };
  }
  const answer = AnswerSchema.safeParse(json);
  if (!answer.success) return { ...who, error: `The answer did not match the review format: ${answer.error.message}` };

  const lines = new Map(ctx.files.map((file) => [file.filename, new Map(file.added ?? [])]));
  const findings: PrModelFinding[] = [];
  const seen = new Set<string>();
  for (const raw of answer.data.findings) {
    const finding = AnswerFindingSchema.safeParse(raw);
    if (!finding.success) continue;
    const { file, line, severity, message } = finding.data;
    const lineText = lines.get(file)?.get(line);
    if (lineText === undefined) continue;
    const fingerprint = fingerprintOf("model", file, lineText);
    if (seen.has(fingerprint)) continue;
    seen.add(fingerprint);
    findings.push({
      fingerprint,
      source: "model",
      severity,
      file,
      line,
      message: clip(message, MESSAGE_CHARS_MAX),
      firstSeenSha: ctx.known.get(fingerprint) ?? ctx.headSha,
    });
  }
  const kept = bySeverity(findings).slice(0, PR_REVIEW_FINDINGS_MAX);

  const docNotes: PrDocNote[] = [];
  for (const raw of answer.data.docs) {
    const note = PrDocNoteSchema.safeParse(raw);
    if (!note.success || !ctx.documentIds.includes(note.data.documentId)) continue;
    if (docNotes.some((n) => n.documentId === note.data.documentId) || note.data.explanation.trim() === "") continue;
    docNotes.push({ ...note.data, explanation: clip(note.data.explanation.trim(), EXPLANATION_CHARS_MAX) });
  }
  return {
    ...who,
    summary: clip(answer.data.summary, SUMMARY_CHARS_MAX),
    findings: kept,
    droppedFindings: answer.data.findings.length - kept.length,
    docNotes,
  };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
