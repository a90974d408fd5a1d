import type { Tx } from "@devflow/db";
import { startPrAnalysis } from "../pr-analysis/start-pr-analysis";
import { linkedDocumentIds } from "./doc-links";
import {
  GitHubPullRequestEventSchema,
  GitHubPullRequestReviewEventSchema,
  milestoneFields,
  parseGitHubPayload,
  type GitHubPullRequest,
} from "./github-payloads";
import { earliest, isOlderThanStored, pullRequestStateOf } from "./github-rules";
import type { RepositoryScope, TouchedRow } from "./github-types";

/**
 * Every pull_request action carries the whole pull request as it is now, so each one is applied.
 * A push (opened, synchronize, reopened, ready_for_review) also starts its analysis, in this
 * transaction, when the organization has a GitHub token to run it with (startPrAnalysis says why
 * not otherwise); a late delivery that changed nothing starts none, its head commit being older.
 */
export async function applyPullRequestEvent(
  tx: Tx,
  scope: RepositoryScope,
  payload: unknown,
  action: string | undefined,
) {
  const { repository, pull_request } = parseGitHubPayload(GitHubPullRequestEventSchema, "pull_request", payload);
  const { id, applied } = await upsertPullRequest(tx, scope, pull_request, action);
  if (applied) {
    const push = {
      organizationId: scope.organizationId,
      pullRequestId: id,
      repositoryId: scope.repositoryId,
      repositoryExternalId: scope.repositoryExternalId,
      repositoryFullName: repository.full_name,
      number: pull_request.number,
      headSha: pull_request.head.sha,
    };
    await startPrAnalysis(tx, push, action);
  }
  return [{ table: "pull_requests" as const, id, applied }];
}

/**
 * A submitted review sets the pull request's first review and first approval times, which only
 * ever move earlier (so review deliveries apply in any order). The author's own reviews do not
 * count: replying in a review thread submits a "commented" review by the author. The pull request
 * itself is applied from the review's copy too, so a review delivered before `opened` still has a
 * row to land on.
 */
export async function applyPullRequestReviewEvent(
  tx: Tx,
  scope: RepositoryScope,
  payload: unknown,
  action: string | undefined,
) {
  const { pull_request, review } = parseGitHubPayload(
    GitHubPullRequestReviewEventSchema,
    "pull_request_review",
    payload,
  );
  const { id, applied } = await upsertPullRequest(tx, scope, pull_request, undefined);
  const touched: TouchedRow[] = [{ table: "pull_requests", id, applied }];
  const isAuthors = review.user !== null && review.user.login === pull_request.user?.login;
  if (action !== "submitted" || !review.submitted_at || isAuthors) return touched;

  const at = new Date(review.submitted_at);
  const stored = await tx.pullRequest.findUniqueOrThrow({
    where: { id },
    select: { firstReviewAt: true, approvedAt: true },
  });
  const isApproval = review.state.toLowerCase() === "approved";
  await tx.pullRequest.update({
    where: { id },
    data: {
      firstReviewAt: earliest(stored.firstReviewAt, at),
      approvedAt: isApproval ? earliest(stored.approvedAt, at) : stored.approvedAt,
    },
  });
  return [{ table: "pull_requests" as const, id, applied: true }];
}

async function upsertPullRequest(
  tx: Tx,
  scope: RepositoryScope,
  pr: GitHubPullRequest,
  action: string | undefined,
): Promise<{ id: string; applied: boolean }> {
  const state = pullRequestStateOf(pr);
  const closedAt = pr.closed_at ? new Date(pr.closed_at) : null;
  const where = { repositoryId_number: { repositoryId: scope.repositoryId, number: pr.number } };
  const stored = await tx.pullRequest.findUnique({ where, select: { id: true, state: true, closedAt: true } });
  if (stored && isOlderThanStored(stored, { state, updatedAt: new Date(pr.updated_at), closedAt, action })) {
    return { id: stored.id, applied: false };
  }

  const fields = {
    title: pr.title,
    body: pr.body ?? "",
    state,
    authorLogin: pr.user?.login ?? null,
    url: pr.html_url,
    headSha: pr.head.sha,
    baseBranch: pr.base.ref,
    openedAt: new Date(pr.created_at),
    // GitHub clears closed_at when a pull request is reopened, and so does this.
    closedAt,
    mergedAt: pr.merged_at ? new Date(pr.merged_at) : null,
    // Before the merge GitHub reports its test merge commit here, which never reaches the branch.
    mergeCommitSha: state === "merged" ? (pr.merge_commit_sha ?? null) : null,
    linkedDocumentIds: await linkedDocumentIds(tx, scope.organizationId, pr.title, pr.body),
    ...milestoneFields(pr.milestone),
  };
  const row = stored
    ? await tx.pullRequest.update({ where: { id: stored.id }, data: fields, select: { id: true } })
    : await tx.pullRequest.create({
        data: { organizationId: scope.organizationId, repositoryId: scope.repositoryId, number: pr.number, ...fields },
        select: { id: true },
      });
  return { id: row.id, applied: true };
}
