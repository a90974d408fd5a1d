import type { Tx } from "@devflow/db";
import {
  GitHubDeploymentEventSchema,
  GitHubDeploymentStatusEventSchema,
  parseGitHubPayload,
  type GitHubDeployment,
} from "./github-payloads";
import { deploymentStatusOf, hasSucceeded, nextDeploymentStatus, type DeploymentStatus } from "./github-rules";
import type { RepositoryScope, TouchedRow } from "./github-types";
import { claimIncidents, isProduction } from "./incidents";

/** A deployment was created: stored as pending unless a status for it arrived first. */
export async function applyDeploymentEvent(tx: Tx, scope: RepositoryScope, payload: unknown) {
  const { deployment } = parseGitHubPayload(GitHubDeploymentEventSchema, "deployment", payload);
  return [await upsertDeployment(tx, scope, deployment, null)];
}

/** A deployment's status changed: stored with the deployment, never moving it back. */
export async function applyDeploymentStatusEvent(tx: Tx, scope: RepositoryScope, payload: unknown) {
  const { deployment, deployment_status } = parseGitHubPayload(
    GitHubDeploymentStatusEventSchema,
    "deployment_status",
    payload,
  );
  const status = deploymentStatusOf(deployment_status.state);
  return [
    await upsertDeployment(tx, scope, deployment, status && { status, at: new Date(deployment_status.created_at) }),
  ];
}

/**
 * Creates or updates a deployment, moving its status only forward (nextDeploymentStatus); a
 * `deployment` event, or a status GitHub adds later, leaves an existing deployment's status alone.
 * A production deployment that has just succeeded claims the incidents it now explains.
 */
async function upsertDeployment(
  tx: Tx,
  scope: RepositoryScope,
  deployment: GitHubDeployment,
  incoming: { status: DeploymentStatus; at: Date } | null,
): Promise<TouchedRow> {
  const externalId = String(deployment.id);
  const stored = await tx.deployment.findUnique({
    where: { repositoryId_externalId: { repositoryId: scope.repositoryId, externalId } },
    select: { id: true, status: true, finishedAt: true },
  });
  const next = incoming
    ? nextDeploymentStatus(stored, incoming.status, incoming.at)
    : stored
      ? null
      : { status: "pending" as const, finishedAt: null };
  const fields = {
    environment: deployment.environment,
    sha: deployment.sha,
    ref: deployment.ref ?? null,
    createdAt: new Date(deployment.created_at),
    ...next,
  };
  const row = stored
    ? await tx.deployment.update({ where: { id: stored.id }, data: fields, select: { id: true } })
    : await tx.deployment.create({
        data: { organizationId: scope.organizationId, repositoryId: scope.repositoryId, externalId, ...fields },
        select: { id: true },
      });
  const justSucceededAt = next && hasSucceeded(next) && !(stored && hasSucceeded(stored)) ? next.finishedAt : null;
  if (justSucceededAt && isProduction(deployment.environment)) {
    await claimIncidents(tx, scope, row.id, justSucceededAt);
  }
  return { table: "deployments", id: row.id, applied: incoming === null || next !== null };
}
