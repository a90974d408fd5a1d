import type { DoraLeadTimeMatch, DoraLeadTimeStagesDto } from "@devflow/contracts";
import { finishTimeOf, isSuccessful, type DoraDeployment, type DoraPullRequest } from "./dora-history";
import { elapsed } from "./dora-stats";

// Which deployment brought a merged pull request to the environment. GitHub tells us a deployment's
// commit and the ref it was created from, not which commits it contains (that needs the git graph),
// so a deployment carries a pull request of its repository when:
// - merge_commit: the deployment's sha is the pull request's merge commit; or
// - base_branch_after_merge: the deployment was created from the pull request's base branch (its
//   ref, `refs/heads/` optional) at or after the merge. GitHub resolves a branch ref to the branch's
//   head when the deployment is created, and that head contains the merge from then on (unless the
//   branch was force-pushed, which this cannot see).
// A pull request reaches the environment with the first such deployment (by finish time) that
// succeeded; every finished deployment that carried it until then, failed ones included, shipped
// it (which is how a failed deployment is classified as AI-assisted or not).

export interface Delivery {
  /** The first successful deployment carrying the pull request, or null. */
  deployment: DoraDeployment | null;
  match: DoraLeadTimeMatch | null;
  /** The finished deployments that carried it, oldest first, up to and including `deployment`. */
  carriedBy: DoraDeployment[];
}

/** How `deployment` carries the merged `pr`, or null when it does not (see the rules above). */
export function matchOf(pr: DoraPullRequest, deployment: DoraDeployment): DoraLeadTimeMatch | null {
  if (pr.mergedAt === null || deployment.repositoryId !== pr.repositoryId) return null;
  if (pr.mergeCommitSha && deployment.sha.toLowerCase() === pr.mergeCommitSha.toLowerCase()) return "merge_commit";
  if (
    pr.baseBranch &&
    deployment.ref &&
    branchOf(deployment.ref) === pr.baseBranch &&
    deployment.createdAt >= pr.mergedAt
  ) {
    return "base_branch_after_merge";
  }
  return null;
}

/**
 * The pull request's delivery among `finished`: the environment's finished deployments of its
 * repository, sorted by finish time (see sortByFinish).
 */
export function deliveryOf(pr: DoraPullRequest, finished: readonly DoraDeployment[]): Delivery {
  const carriedBy: DoraDeployment[] = [];
  for (const deployment of finished) {
    const match = matchOf(pr, deployment);
    if (!match) continue;
    carriedBy.push(deployment);
    if (isSuccessful(deployment)) return { deployment, match, carriedBy };
  }
  return { deployment: null, match: null, carriedBy };
}

/** Finished deployments oldest first: by finish time, then creation, then id (so ties are stable). */
export function sortByFinish(deployments: readonly DoraDeployment[]): DoraDeployment[] {
  return deployments
    .filter((d) => finishTimeOf(d) !== null)
    .sort(
      (a, b) =>
        finishTimeOf(a)!.getTime() - finishTimeOf(b)!.getTime() ||
        a.createdAt.getTime() - b.createdAt.getTime() ||
        a.id.localeCompare(b.id),
    );
}

export interface LeadTime {
  startedFrom: "first_commit" | "opened";
  totalMs: number;
  stages: DoraLeadTimeStagesDto;
}

/**
 * First commit → deployed, and its stages. GitHub's pull_request events carry no commit times, so
 * when the first commit is unknown lead time starts when the pull request was opened and the coding
 * stage is null; pickup and review are null for a pull request merged without a review. Stages are
 * never negative (a draft opened before its first commit has no coding time).
 */
export function leadTimeOf(pr: DoraPullRequest & { mergedAt: Date }, deployedAt: Date): LeadTime {
  const start = pr.firstCommitAt ?? pr.openedAt;
  return {
    startedFrom: pr.firstCommitAt ? "first_commit" : "opened",
    totalMs: elapsed(start, deployedAt),
    stages: {
      codingMs: pr.firstCommitAt ? elapsed(pr.firstCommitAt, pr.openedAt) : null,
      pickupMs: pr.firstReviewAt ? elapsed(pr.openedAt, pr.firstReviewAt) : null,
      reviewMs: pr.firstReviewAt ? elapsed(pr.firstReviewAt, pr.mergedAt) : null,
      deployMs: elapsed(pr.mergedAt, deployedAt),
    },
  };
}

function branchOf(ref: string): string {
  return ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : ref;
}
