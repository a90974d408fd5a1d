import type { Database, Tx } from "@devflow/db";
import { startWorkflowRun, type StartedWorkflowRun } from "@devflow/domain-workflows";
import { createPrAnalysisWorkflow, type PrAnalysisInput } from "./pr-analysis.workflow";

/** The pull_request actions that put new code (or a draft made ready) in front of reviewers. */
const ANALYSED_ACTIONS = new Set(["opened", "synchronize", "reopened", "ready_for_review"]);

/**
 * Starting a run needs only the workflow's name, input schema and step names; the steps are run
 * by the worker's copy, built with its clients. This copy's steps are never run.
 */
const workflowToStart = createPrAnalysisWorkflow({
  db: null as unknown as Database,
  github: () => Promise.reject(new Error("pr-analysis runs in the worker, not where it is started")),
  webBaseUrl: "",
});

export interface PullRequestPush {
  organizationId: string;
  pullRequestId: string;
  repositoryId: string;
  repositoryExternalId: string;
  repositoryFullName: string;
  number: number;
  headSha: string;
}

/**
 * Starts the pull-request analysis for one push, in the transaction that stored the pull request
 * (so the run exists if and only if the row does). One run per head commit: the trigger key names
 * the repository's GitHub id, the number and the sha, so a redelivered webhook, or `reopened` at the
 * same commit, finds the run already there. Starts nothing for other actions, or when the
 * organization has connected no GitHub token: the analysis could neither read the diff nor
 * comment, and a run that can only fail would be noise in the admins' list.
 */
export async function startPrAnalysis(
  tx: Tx,
  push: PullRequestPush,
  action: string | undefined,
): Promise<StartedWorkflowRun | null> {
  if (!action || !ANALYSED_ACTIONS.has(action)) return null;
  if (!(await hasGitHubToken(tx))) return null;
  const input: PrAnalysisInput = {
    v: 1,
    pullRequestId: push.pullRequestId,
    repositoryId: push.repositoryId,
    repositoryFullName: push.repositoryFullName,
    number: push.number,
    headSha: push.headSha,
  };
  return startWorkflowRun(tx, {
    organizationId: push.organizationId,
    workflow: workflowToStart,
    triggerKey: `github:pr:${push.repositoryExternalId}:${push.number}:${push.headSha}`,
    input,
  });
}

/** The same test createIntegrationClients().github makes: an enabled GitHub integration holding a sealed token. */
async function hasGitHubToken(tx: Tx): Promise<boolean> {
  const rows = await tx.integration.findMany({
    where: { provider: "github", enabled: true },
    select: { config: true },
    take: 20,
  });
  return rows.some((row) => Boolean((row.config as { credential?: unknown } | null)?.credential));
}
