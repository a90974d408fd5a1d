import type { Embedder } from "@devflow/ai-rag";
import type { RequestContext } from "@devflow/auth";
import {
  TRIAGE_DUPLICATES_MAX,
  type TriageDuplicateDto,
  type TriagePassageInput,
  type TriageSuggestionDto,
} from "@devflow/contracts";
import type { Database, TenantContext, Tx } from "@devflow/db";
import { AppError } from "@devflow/util-core";
import * as repo from "./triage.repository";
import { suggestComponent, suggestLabels, suggestPriority } from "./triage-rules";

export interface TriageOptions {
  /** The organization's configured embedder (the offline hashing one by default). */
  embedder: Embedder;
}

/**
 * Issues opened before triage existed, or embedded by another model, are embedded when a triage
 * in their repository needs them as candidates: this many at a time, newest first, so a
 * repository's history is caught up over a few triages without one triage embedding thousands.
 */
const BACKFILL_PER_TRIAGE = 50;

/** What an issue (or a passage) says in one text for the embedder and the rules. */
const textOf = (issue: { title: string; body: string }) => `${issue.title}\n\n${issue.body}`.slice(0, 20_000);

/**
 * Triage of one stored issue (on `issue.opened`): its embedding is stored, its likely duplicates
 * found among the repository's other issues, and the suggestions stored on the issue. Running it
 * again recomputes and replaces them, so a redelivered event is harmless. Null when the issue is
 * gone (deleted on GitHub since).
 */
export async function triageIssue(
  db: Database,
  ctx: TenantContext,
  issueId: string,
  options: TriageOptions,
): Promise<TriageSuggestionDto | null> {
  const issue = await db.withTenant(ctx, (tx) => repo.findIssue(tx, issueId));
  if (!issue) return null;
  // Embedding may call a hosted model: outside any transaction.
  const [vector] = await options.embedder.embed([textOf(issue)]);
  await backfillEmbeddings(db, ctx, issue.repositoryId, options.embedder);
  return db.withTenant(ctx, async (tx) => {
    await repo.storeEmbedding(tx, issue.id, vector!, options.embedder.model);
    const suggestion = await suggest(tx, textOf(issue), vector!, issue.repositoryId, issue.id, options.embedder);
    await repo.storeTriage(tx, issue.id, { ...suggestion });
    return suggestion;
  });
}

/**
 * Triage of a passage (a selection in a design doc) against the organization's issues, or one
 * repository's: what an issue made of it would be, and which existing issues already say it.
 * Nothing is stored. Any member may ask; a repository of another organization is not found.
 */
export async function triagePassage(
  db: Database,
  ctx: RequestContext,
  input: TriagePassageInput,
  options: TriageOptions,
): Promise<TriageSuggestionDto> {
  const repositoryId = input.repositoryId ?? null;
  if (repositoryId) {
    const found = await db.withTenant(ctx, (tx) =>
      tx.repository.findUnique({ where: { id: repositoryId }, select: { id: true } }),
    );
    if (!found) throw new AppError("not_found", "No such repository in this organization", { report: false });
  }
  const [vector] = await options.embedder.embed([input.text]);
  await backfillEmbeddings(db, ctx, repositoryId, options.embedder);
  return db.withTenant(ctx, (tx) => suggest(tx, input.text, vector!, repositoryId, null, options.embedder));
}

async function suggest(
  tx: Tx,
  text: string,
  vector: readonly number[],
  repositoryId: string | null,
  excludeIssueId: string | null,
  embedder: Embedder,
): Promise<TriageSuggestionDto> {
  const vocabulary = await repo.labelVocabulary(tx, repositoryId);
  const nearest = await repo.nearestIssues(tx, {
    vector,
    model: embedder.model,
    repositoryId,
    excludeIssueId,
    limit: TRIAGE_DUPLICATES_MAX,
    // Cosine distance is 1 − similarity; a duplicate must be closer than mere relatedness.
    maxDistance: 1 - duplicateThreshold(embedder),
  });
  return {
    priority: suggestPriority(text),
    labels: suggestLabels(text, vocabulary),
    component: suggestComponent(text, vocabulary),
    duplicates: nearest.map(({ distance, ...issue }): TriageDuplicateDto => ({
      ...issue,
      similarity: Math.round((1 - distance) * 1000) / 1000,
    })),
    embeddingModel: embedder.model,
    semantic: embedder.semantic,
    triagedAt: new Date().toISOString(),
  };
}

/**
 * The similarity above which another issue is offered as a likely duplicate: well above the
 * embedder's "related at all" floor. For the lexical offline embedder, sharing most of the words;
 * for a semantic model, saying nearly the same thing.
 */
export function duplicateThreshold(embedder: Pick<Embedder, "minSimilarity" | "semantic">): number {
  return embedder.semantic ? Math.max(0.8, embedder.minSimilarity) : Math.max(0.45, embedder.minSimilarity * 3);
}

async function backfillEmbeddings(db: Database, ctx: TenantContext, repositoryId: string | null, embedder: Embedder) {
  const missing = await db.withTenant(ctx, (tx) =>
    repo.issuesWithoutEmbedding(tx, repositoryId, embedder.model, BACKFILL_PER_TRIAGE),
  );
  if (missing.length === 0) return;
  const vectors = await embedder.embed(missing.map(textOf));
  await db.withTenant(ctx, async (tx) => {
    for (const [i, issue] of missing.entries()) await repo.storeEmbedding(tx, issue.id, vectors[i]!, embedder.model);
  });
}
