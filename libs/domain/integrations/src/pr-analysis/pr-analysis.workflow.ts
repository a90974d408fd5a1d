import {
  PR_ANALYSIS_CHECK_NAME,
  PR_ANALYSIS_FILES_MAX,
  PrAnalysisSchema,
  type DocRef,
  type PrAnalysis,
  type PrLinkedIssue,
} from "@devflow/contracts";
import type { ChatModel } from "@devflow/ai-llm";
import type { Database, Tx } from "@devflow/db";
import { defineWorkflow, type StepContext, type WorkflowDefinition } from "@devflow/domain-workflows";
import type { GitHubClient } from "@devflow/integrations";
import { AppError } from "@devflow/util-core";
import { z } from "zod";
import { analyzePullRequest, type FetchedFile, type FetchedPullRequest, type ReviewHistory } from "./analyze";
import { issueReferences } from "./linked-issues";
import { addedLines } from "./patch-lines";
import { checkRunOutput, commentBody } from "./report";
import { upsertStickyComment } from "./sticky-comment";
import {
  directoriesOf,
  previousAnalysis,
  priorityOf,
  readCodeOwners,
  readDocs,
  type DocsOutput,
} from "./workflow-reads";
import { reviewPullRequest } from "./review";
import { relevantDocText } from "./review-prompt";

export const PR_ANALYSIS_WORKFLOW = "pr-analysis";

export const PrAnalysisInputSchema = z.object({
  v: z.literal(1),
  pullRequestId: z.uuid(),
  repositoryId: z.uuid(),
  /** owner/name, as GitHub's REST paths want it. */
  repositoryFullName: z.string().regex(/^[^/]+\/[^/]+$/),
  number: z.number().int().positive(),
  headSha: z.string().min(7),
});
export type PrAnalysisInput = z.infer<typeof PrAnalysisInputSchema>;

export interface PrAnalysisDeps {
  db: Database;
  /** The organization's GitHub client (its connected token); null once it has none. */
  github: (organizationId: string) => Promise<GitHubClient | null>;
  /**
   * Ids of the organization's documents most relevant to `query`, best first; for pull requests
   * that link no doc. Without it such pull requests are analysed without docs.
   */
  searchDocuments?: (organizationId: string, query: string) => Promise<string[]>;
  /** The web app's base URL, for links to docs in the comment. */
  webBaseUrl: string;
  /**
   * The configured chat model (AI_CHAT_*). With a generative one, the review step asks it once for a
   * summary, findings and a note per doc, shown in their own section of the comment; without one
   * (or with the offline extractive answerer) the analysis is rule-based only.
   */
  chatModel?: ChatModel;
  now?: () => Date;
}

/** Characters of added lines the fetch step keeps in all, and per line: its output must stay well under 256 KiB. */
const ADDED_CHARS_BUDGET = 150_000;
const LINE_CHARS_MAX = 400;
const COMMITS_MAX = 250;
const RETRIEVED_DOCS_MAX = 3;
const HISTORY_MAX = 200;
/** Characters of CODEOWNERS the fetch step keeps (GitHub reads at most 3 MB; real ones are a few KB). */
const CODEOWNERS_CHARS_MAX = 50_000;
/** Characters of each doc's text the docs step keeps for the review, and how many docs. */
const REVIEW_DOC_CHARS_MAX = 8_000;
const STEP_RETRY = { attempts: 4, baseDelayMs: 2_000, maxDelayMs: 30_000 };

type Fetched = { superseded: string } | FetchedPullRequest;
type Skipped = { skipped: string };

/**
 * Analyses one push of a pull request: fetch (files with their added lines, commits, the
 * description and the base branch's CODEOWNERS, from GitHub), docs (the issues its text
 * references, and the design docs it implements at the version read: its own links, else its
 * issues' links, else a search), analyze (rule-based, offline; code owners first among the
 * suggested reviewers), review (by the configured chat model, when there is one), comment (one
 * sticky comment, edited on later pushes) and check (the "DevFlow quality gates" check run on the
 * head commit). A run whose head commit is no longer the
 * pull request's stops after fetch: the newer push has its own run.
 */
export function createPrAnalysisWorkflow(deps: PrAnalysisDeps): WorkflowDefinition<PrAnalysisInput> {
  const now = deps.now ?? (() => new Date());
  const model = deps.chatModel?.generative ? deps.chatModel : null;
  const clientFor = async (ctx: StepContext<PrAnalysisInput>): Promise<GitHubClient> => {
    const client = await deps.github(ctx.organizationId);
    if (!client) {
      throw new AppError("conflict", "The organization has no connected GitHub token any more", {
        retryable: false,
        report: false,
      });
    }
    return client;
  };
  const repoRef = (input: PrAnalysisInput) => {
    const [owner, repo] = input.repositoryFullName.split("/") as [string, string];
    return { owner, repo };
  };
  const skippedBy = (ctx: StepContext<PrAnalysisInput>): Skipped | null => {
    const fetched = ctx.outputs.fetch as Fetched;
    return "superseded" in fetched ? { skipped: `superseded by ${fetched.superseded}` } : null;
  };
  /**
   * Lead time starts at a pull request's first commit (DORA), which its webhooks never say: the
   * earliest author date of its commits, kept when earlier than what is stored (commits dropped by
   * a force-push still started the work).
   */
  const recordFirstCommit = async (
    ctx: StepContext<PrAnalysisInput>,
    commits: readonly { authoredAt: string | null }[],
  ) => {
    const times = commits.map((c) => (c.authoredAt ? Date.parse(c.authoredAt) : NaN)).filter((t) => !Number.isNaN(t));
    if (times.length === 0) return;
    const first = new Date(Math.min(...times));
    await deps.db.withTenant(ctx.tenant, (tx) =>
      tx.pullRequest.updateMany({
        where: { id: ctx.input.pullRequestId, OR: [{ firstCommitAt: null }, { firstCommitAt: { gt: first } }] },
        data: { firstCommitAt: first },
      }),
    );
  };
  /** analyze's output with the review's, when the model gave one or failed to. */
  const analysisOf = (ctx: StepContext<PrAnalysisInput>): PrAnalysis => {
    const review = ctx.outputs.review as PrAnalysis["review"] | Skipped | undefined;
    const analysis = ctx.outputs.analyze as PrAnalysis;
    return review && !("skipped" in review) ? { ...analysis, review } : analysis;
  };
  /** Writes the analysis only while the pull request is still at this run's head commit. */
  const store = (tx: Tx, input: PrAnalysisInput, analysis: PrAnalysis) =>
    tx.pullRequest.updateMany({
      where: { id: input.pullRequestId, headSha: input.headSha },
      data: { analysis: PrAnalysisSchema.parse(analysis) },
    });

  return defineWorkflow<PrAnalysisInput>({
    name: PR_ANALYSIS_WORKFLOW,
    inputSchema: PrAnalysisInputSchema,
    steps: [
      {
        name: "fetch",
        retry: STEP_RETRY,
        run: async (ctx): Promise<Fetched> => {
          const client = await clientFor(ctx);
          const ref = { ...repoRef(ctx.input), pullNumber: ctx.input.number };
          const pr = await client.getPullRequest(ref);
          if (pr.headSha !== ctx.input.headSha) return { superseded: pr.headSha };
          const [files, commits, codeOwners] = await Promise.all([
            client.listPullRequestFiles({ ...ref, maxFiles: PR_ANALYSIS_FILES_MAX }),
            client.listPullRequestCommits(ref),
            readCodeOwners(client, { ...repoRef(ctx.input), ref: pr.baseRef }),
          ]);
          await recordFirstCommit(ctx, commits);
          let budget = ADDED_CHARS_BUDGET;
          const fetchedFiles = files.map((file): FetchedFile => {
            let added = file.patch === null ? null : addedLines(file.patch);
            if (added) {
              added = added.map(([line, text]) => [line, text.slice(0, LINE_CHARS_MAX)]);
              const size = added.reduce((n, [, text]) => n + text.length + 8, 0);
              // Past the budget a file is counted but not scanned; the summary says how many.
              if (size > budget) added = null;
              else budget -= size;
            }
            return {
              filename: file.filename,
              status: file.status,
              additions: file.additions,
              deletions: file.deletions,
              previousFilename: file.previousFilename,
              added,
            };
          });
          return {
            headSha: pr.headSha,
            title: pr.title,
            body: pr.body ?? "",
            author: pr.author,
            totalFiles: pr.changedFiles,
            totalAdditions: pr.additions,
            totalDeletions: pr.deletions,
            files: fetchedFiles,
            commits: commits.slice(0, COMMITS_MAX).map((c) => ({
              sha: c.sha,
              author: c.author,
              message: c.message.split("\n")[0]!.slice(0, 200),
            })),
            codeOwners: codeOwners?.slice(0, CODEOWNERS_CHARS_MAX) ?? null,
          };
        },
      },
      {
        name: "docs",
        run: async (ctx): Promise<DocsOutput | Skipped> => {
          const skipped = skippedBy(ctx);
          if (skipped) return skipped;
          const fetched = ctx.outputs.fetch as FetchedPullRequest;
          const references = issueReferences(`${fetched.title}\n${fetched.body}`, ctx.input.repositoryFullName);
          const { linked, slug, issues } = await deps.db.withTenant(ctx.tenant, async (tx) => ({
            linked: (
              await tx.pullRequest.findUniqueOrThrow({
                where: { id: ctx.input.pullRequestId },
                select: { linkedDocumentIds: true },
              })
            ).linkedDocumentIds,
            slug: (await tx.organization.findUnique({ where: { id: ctx.organizationId }, select: { slug: true } }))
              ?.slug,
            issues: await tx.issue.findMany({
              where: { repositoryId: ctx.input.repositoryId, number: { in: references.map((r) => r.number) } },
              select: { number: true, title: true, state: true, url: true, triage: true, linkedDocumentIds: true },
            }),
          }));
          const linkedIssues = references.map((reference): PrLinkedIssue => {
            const issue = issues.find((row) => row.number === reference.number);
            return {
              ...reference,
              title: issue?.title ?? null,
              state: issue?.state ?? null,
              url: issue?.url ?? null,
              priority: issue ? priorityOf(issue.triage) : null,
            };
          });
          let ids: { id: string; source: DocRef["source"] }[] = linked.map((id) => ({ id, source: "linked" }));
          if (ids.length === 0) {
            // The docs the referenced issues link, closed issues' first: what the pull request implements.
            const ordered = [...references].sort(
              (a, b) => Number(b.relation === "closes") - Number(a.relation === "closes"),
            );
            const fromIssues = ordered.flatMap(
              (r) => issues.find((row) => row.number === r.number)?.linkedDocumentIds ?? [],
            );
            ids = [...new Set(fromIssues)].map((id) => ({ id, source: "issue" as const }));
          }
          if (ids.length === 0 && deps.searchDocuments) {
            const query = `${fetched.title}\n${fetched.body}`.slice(0, 1_000);
            const found = await deps.searchDocuments(ctx.organizationId, query);
            ids = [...new Set(found)].slice(0, RETRIEVED_DOCS_MAX).map((id) => ({ id, source: "retrieved" as const }));
          }
          const textOf = model
            ? (markdown: string) => relevantDocText(markdown, fetched.files, REVIEW_DOC_CHARS_MAX)
            : null;
          const read = await deps.db.withTenant(ctx.tenant, (tx) => readDocs(tx, ids, slug ?? "", textOf));
          return { ...read, linkedIssues };
        },
      },
      {
        name: "analyze",
        run: async (ctx): Promise<PrAnalysis | Skipped> => {
          const skipped = skippedBy(ctx);
          if (skipped) return skipped;
          const pr = ctx.outputs.fetch as FetchedPullRequest;
          const { docs, mentions, linkedIssues } = ctx.outputs.docs as DocsOutput;
          const { settings, previous, history } = await deps.db.withTenant(ctx.tenant, async (tx) => {
            const repository = await tx.repository.findUniqueOrThrow({
              where: { id: ctx.input.repositoryId },
              select: { settings: true },
            });
            const row = await tx.pullRequest.findUniqueOrThrow({
              where: { id: ctx.input.pullRequestId },
              select: { analysis: true },
            });
            const others = await tx.pullRequest.findMany({
              where: { repositoryId: ctx.input.repositoryId, id: { not: ctx.input.pullRequestId } },
              orderBy: { updatedAt: "desc" },
              take: HISTORY_MAX,
              select: { authorLogin: true, analysis: true },
            });
            return { settings: repository.settings, previous: row.analysis, history: others };
          });
          return analyzePullRequest({
            pr,
            docs,
            mentions,
            linkedIssues: linkedIssues ?? [],
            repositorySettings: settings,
            previous: previousAnalysis(previous),
            history: history.map((row): ReviewHistory => ({
              login: row.authorLogin,
              directories: directoriesOf(row.analysis),
            })),
            now: now(),
          });
        },
      },
      {
        name: "review",
        // The model call keeps its own deadline (AI_CHAT_TIMEOUT_MS, at most 10 minutes): this one is only a backstop.
        timeoutMs: 11 * 60_000,
        run: async (ctx) => {
          const skipped = skippedBy(ctx);
          if (skipped) return skipped;
          if (!model) return { skipped: "no model configured" };
          const pr = ctx.outputs.fetch as FetchedPullRequest;
          const { texts } = ctx.outputs.docs as DocsOutput;
          const stored = await deps.db.withTenant(ctx.tenant, (tx) =>
            tx.pullRequest.findUniqueOrThrow({ where: { id: ctx.input.pullRequestId }, select: { analysis: true } }),
          );
          const before = previousAnalysis(stored.analysis)?.review;
          const known = new Map(
            (before && "findings" in before ? before.findings : []).map((f) => [f.fingerprint, f.firstSeenSha]),
          );
          return reviewPullRequest(
            model,
            { pr, analysis: ctx.outputs.analyze as PrAnalysis, docTexts: texts ?? {} },
            { known, signal: ctx.signal },
          );
        },
      },
      {
        name: "comment",
        retry: STEP_RETRY,
        run: async (ctx) => {
          const skipped = skippedBy(ctx);
          if (skipped) return skipped;
          const analysis = analysisOf(ctx);
          const { organizationSlug } = ctx.outputs.docs as DocsOutput;
          const base = deps.webBaseUrl.replace(/\/$/, "");
          const body = commentBody(analysis, (id) => `${base}/${organizationSlug}/documents/${id}`);
          const client = await clientFor(ctx);
          const ref = repoRef(ctx.input);
          // The id stored with the previous push's analysis is read again here, not taken from
          // analyze's output: a retry of this step after a comment was created must edit it.
          const stored = await deps.db.withTenant(ctx.tenant, (tx) =>
            tx.pullRequest.findUniqueOrThrow({ where: { id: ctx.input.pullRequestId }, select: { analysis: true } }),
          );
          const knownId = previousAnalysis(stored.analysis)?.commentId ?? analysis.commentId;
          const posted = await upsertStickyComment(client, { ...ref, issueNumber: ctx.input.number, body }, knownId);
          await deps.db.withTenant(ctx.tenant, (tx) => store(tx, ctx.input, { ...analysis, commentId: posted.id }));
          return { commentId: posted.id, created: posted.created };
        },
      },
      {
        name: "check",
        retry: STEP_RETRY,
        run: async (ctx) => {
          const skipped = skippedBy(ctx);
          if (skipped) return skipped;
          const { commentId } = ctx.outputs.comment as { commentId: number };
          const analysis = { ...analysisOf(ctx), commentId };
          const client = await clientFor(ctx);
          const check = {
            ...repoRef(ctx.input),
            status: "completed" as const,
            // Rule-based only: the model's review is advice in the comment, never a gate.
            conclusion: analysis.conclusion,
            output: checkRunOutput(analysis),
          };
          // An earlier attempt may have created the run and failed before recording it: the run id
          // is its external id, so it is found and updated rather than posted twice.
          const earlier = await client.findCheckRun({
            ...repoRef(ctx.input),
            headSha: ctx.input.headSha,
            name: PR_ANALYSIS_CHECK_NAME,
            externalId: ctx.runId,
          });
          const run = earlier
            ? await client.updateCheckRun({ ...check, checkRunId: earlier.id })
            : await client.createCheckRun({
                ...check,
                name: PR_ANALYSIS_CHECK_NAME,
                headSha: ctx.input.headSha,
                externalId: ctx.runId,
              });
          await deps.db.withTenant(ctx.tenant, (tx) => store(tx, ctx.input, { ...analysis, checkRunId: run.id }));
          return { checkRunId: run.id, conclusion: analysis.conclusion };
        },
      },
    ],
  });
}
