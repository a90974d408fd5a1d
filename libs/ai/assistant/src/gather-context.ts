import type { ChatModel } from "@devflow/ai-llm";
import type { RetrievalService } from "@devflow/ai-rag";
import type { RequestContext } from "@devflow/auth";
import type { AskContext, ChatMessageDto } from "@devflow/contracts";
import type { DocumentsService } from "@devflow/domain-documents";
import type { ProjectsService } from "@devflow/domain-projects";
import { isAppError } from "@devflow/util-core";
import { assembleContext, type AssembledContext, type DocumentExcerpt } from "./context";

export interface ContextSources {
  retrieval: Pick<RetrievalService, "search">;
  documents: Pick<DocumentsService, "get" | "history">;
  projects: Pick<ProjectsService, "get">;
}

export interface GatherOptions {
  model: ChatModel;
  question: string;
  history: readonly Pick<ChatMessageDto, "role" | "content">[];
  where: AskContext | undefined;
  hasTools: boolean;
  maxOutputTokens: number;
  /** Passages asked of retrieval. */
  passageLimit: number;
}

/** Characters of the open document read around the cursor before the token budget trims them. */
const EXCERPT_WINDOW_CHARS = 24_000;
/** Retrieval takes at most this much of a question as its query. */
const QUERY_MAX_CHARS = 1_000;

/**
 * Collects what the answer is built from — the project, the open document around the person's
 * selection, retrieved passages — as the person, so nothing they cannot read gets in, and
 * assembles it within the model's window. A project or document the person cannot see (or that
 * was deleted since the page loaded) is simply left out.
 */
export async function gatherContext(
  sources: ContextSources,
  ctx: RequestContext,
  options: GatherOptions,
): Promise<AssembledContext> {
  const { where } = options;
  const [excerpt, retrieved] = await Promise.all([
    where?.documentId ? readExcerpt(sources, ctx, where.documentId, where.selection) : null,
    sources.retrieval.search(ctx, {
      query: options.question.slice(0, QUERY_MAX_CHARS),
      limit: options.passageLimit,
      ...(where?.projectId && { projectId: where.projectId }),
    }),
  ]);
  const projectId = where?.projectId ?? excerpt?.projectId;
  const project = projectId ? await unlessMissing(sources.projects.get(ctx, projectId)) : null;
  return assembleContext({
    contextTokens: options.model.contextTokens,
    outputTokens: options.maxOutputTokens,
    question: options.question,
    history: options.history,
    project: project ? { name: project.name, description: project.description ?? "" } : null,
    excerpt: excerpt?.excerpt ?? null,
    passages: retrieved,
    hasTools: options.hasTools,
  });
}

/**
 * A window of the open document around the selection, at the version the selection was made
 * against (so offsets cited from it are exact), or at the head when none was given.
 */
async function readExcerpt(
  sources: ContextSources,
  ctx: RequestContext,
  documentId: string,
  selection: AskContext["selection"],
): Promise<{ excerpt: DocumentExcerpt; projectId: string } | null> {
  const doc = await unlessMissing(sources.documents.get(ctx, documentId));
  if (!doc) return null;
  let version = doc.version;
  let content = doc.content;
  if (selection?.version !== undefined && selection.version < doc.version) {
    const older = await unlessMissing(sources.documents.history.textAt(ctx, documentId, selection.version));
    if (older) ({ version, content } = older);
  }
  const sel = selection ? locateSelection(selection, version, content) : null;
  const focus = sel?.from ?? 0;
  const start = Math.max(0, Math.min(focus - EXCERPT_WINDOW_CHARS / 2, content.length - EXCERPT_WINDOW_CHARS));
  const end = Math.min(content.length, start + EXCERPT_WINDOW_CHARS);
  return {
    projectId: doc.projectId,
    excerpt: {
      documentId,
      title: doc.title,
      version,
      start,
      end,
      text: content.slice(start, end),
      selection: sel && sel.to > sel.from ? sel : null,
    },
  };
}

/**
 * The selection in `content` (the text at `version`). Offsets made against that version are
 * exact; offsets from an editor a few edits away are checked against the selected text and, when
 * it moved, the nearest copy of it is taken. A selection that cannot be found is dropped.
 */
function locateSelection(
  selection: NonNullable<AskContext["selection"]>,
  version: number,
  content: string,
): { from: number; to: number } | null {
  if (selection.version !== undefined && selection.version !== version) return null;
  const from = Math.min(selection.from, selection.to, content.length);
  const to = Math.min(Math.max(selection.from, selection.to), content.length);
  const { text } = selection;
  if (text === undefined || content.slice(from, to) === text) return { from, to };
  if (text === "") return { from, to: from };
  const found = nearestOccurrence(content, text, from);
  return found === null ? null : { from: found, to: found + text.length };
}

function nearestOccurrence(text: string, needle: string, near: number): number | null {
  let best: number | null = null;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    if (best === null || Math.abs(at - near) < Math.abs(best - near)) best = at;
    if (at > near) break;
  }
  return best;
}

async function unlessMissing<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") return null;
    throw error;
  }
}
