import { hasSucceeded, isProduction, type DeploymentStatus } from "@devflow/domain-integrations";

// The plain rows the DORA computation reads: what the GitHub event processor stored for the
// project's repositories, with no database in sight, so the rules can be tested on a hand-made history.

export interface DoraRepository {
  id: string;
  /** owner/name, for the drill-down tables. */
  fullName: string;
}

export interface DoraDeployment {
  id: string;
  repositoryId: string;
  environment: string;
  sha: string;
  /** The branch, tag or sha the deployment was created from (`refs/heads/` optional). */
  ref: string | null;
  status: DeploymentStatus;
  createdAt: Date;
  /** When its latest success, failure or error status was created; null until one was. */
  finishedAt: Date | null;
}

export interface DoraPullRequest {
  id: string;
  repositoryId: string;
  number: number;
  title: string;
  url: string | null;
  body: string;
  authorLogin: string | null;
  baseBranch: string | null;
  firstCommitAt: Date | null;
  openedAt: Date;
  firstReviewAt: Date | null;
  mergedAt: Date | null;
  mergeCommitSha: string | null;
}

export interface DoraIncident {
  id: string;
  title: string;
  severity: string;
  deploymentId: string | null;
  /** An admin chose `deploymentId`; absent or false when the attribution rule did. */
  attributedManually?: boolean;
  openedAt: Date;
  resolvedAt: Date | null;
}

/**
 * Everything the computation reads. Deployments and pull requests may (and for lead time should)
 * reach back before the window: a pull request merged before it may be deployed inside it, and
 * one already deployed before it must not be counted again. Rows of repositories not listed are ignored.
 */
export interface DoraHistory {
  repositories: readonly DoraRepository[];
  deployments: readonly DoraDeployment[];
  pullRequests: readonly DoraPullRequest[];
  /** The project's incidents: opened in the window, or attributed to one of its deployments. */
  incidents: readonly DoraIncident[];
}

export interface DoraWindow {
  /** A UTC midnight. */
  from: Date;
  /** A UTC midnight, exclusive. */
  to: Date;
  /** Compared in any case; "production" is decided by the same rule as incident attribution. */
  environment: string;
}

/**
 * Whether a deployment went to the environment the metrics are about. Production is decided by
 * isProduction, the rule incident attribution uses, so both always agree on what production is.
 */
export function isInEnvironment(deployment: DoraDeployment, environment: string): boolean {
  return isProduction(environment)
    ? isProduction(deployment.environment)
    : deployment.environment.toLowerCase() === environment.toLowerCase();
}

/** Succeeded: a success status, or superseded (inactive) after one — the event processor's rule. */
export function isSuccessful(deployment: DoraDeployment): boolean {
  return hasSucceeded(deployment);
}

export function isFailed(deployment: DoraDeployment): boolean {
  return deployment.status === "failure" || deployment.status === "error";
}

/** When a finished deployment finished: its success, failure or error. Null for one still going or never finished. */
export function finishTimeOf(deployment: DoraDeployment): Date | null {
  return isSuccessful(deployment) || isFailed(deployment) ? deployment.finishedAt : null;
}
