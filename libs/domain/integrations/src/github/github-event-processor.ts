import type { Tx } from "@devflow/db";
import { applyDeploymentEvent, applyDeploymentStatusEvent } from "./deployments";
import {
  GitHubEnvelopeSchema,
  GitHubInstallationRepositoriesSchema,
  parseGitHubPayload,
  type GitHubRepository,
} from "./github-payloads";
import type { Applier, RepositoryScope, TouchedRow } from "./github-types";
import { applyIssuesEvent } from "./issues";
import { applyPullRequestEvent, applyPullRequestReviewEvent } from "./pull-requests";

export type { GitHubTable, TouchedRow } from "./github-types";

export interface GitHubEventInput {
  /** The organization the delivery was stored for: every row read or written is this one's. */
  organizationId: string;
  /** The integration the delivery came through. No row records it yet (no column for it). */
  integrationId: string | null;
  /** The event name GitHub sent in X-GitHub-Event, e.g. "pull_request". */
  event: string;
  /** The delivery's body, parsed: the json column as stored by webhook ingress. */
  payload: unknown;
}

/** What one event changed, for tests and logs. */
export interface GitHubEventSummary {
  event: string;
  action: string | null;
  touched: TouchedRow[];
}

/**
 * The events that change more than the repository, by X-GitHub-Event. Every other event (issue
 * comments, pushes, check runs…) only upserts the repository it carries; `ping` changes nothing.
 */
const APPLIERS: Readonly<Record<string, Applier>> = {
  pull_request: applyPullRequestEvent,
  pull_request_review: applyPullRequestReviewEvent,
  deployment: applyDeploymentEvent,
  deployment_status: applyDeploymentStatusEvent,
  issues: applyIssuesEvent,
};

/**
 * Applies one stored GitHub delivery to the organization's repositories, pull requests,
 * deployments and incidents, inside the caller's tenant transaction (the webhook delivery handler,
 * under applyOnce). Deliveries may arrive in any order and several at once: every event first takes
 * a transaction-scoped lock per repository it names, so events for one repository apply one at a
 * time, and each row is compared with the payload's own timestamps before it is changed (see
 * github-rules.ts), so a late delivery never moves a row back. Returns what was touched.
 */
export async function applyGitHubEvent(tx: Tx, input: GitHubEventInput): Promise<GitHubEventSummary> {
  const envelope = parseGitHubPayload(GitHubEnvelopeSchema, input.event, input.payload);
  const summary: GitHubEventSummary = { event: input.event, action: envelope.action ?? null, touched: [] };
  if (input.event === "ping") return summary;

  const repositories = repositoriesNamedBy(input.event, input.payload, envelope.repository ?? null);
  await lockRepositories(tx, input.organizationId, repositories);
  let scope: RepositoryScope | null = null;
  for (const repository of repositories) {
    const repositoryId = await upsertRepository(tx, input.organizationId, repository);
    summary.touched.push({ table: "repositories", id: repositoryId, applied: true });
    if (repository.id === envelope.repository?.id) {
      scope = { organizationId: input.organizationId, repositoryId, repositoryExternalId: String(repository.id) };
    }
  }

  const apply = APPLIERS[input.event];
  if (apply && scope) summary.touched.push(...(await apply(tx, scope, input.payload, envelope.action)));
  return summary;
}

function repositoriesNamedBy(event: string, payload: unknown, repository: GitHubRepository | null): GitHubRepository[] {
  const named = repository ? [repository] : [];
  if (event === "installation_repositories") {
    // Removed repositories are kept, with their history: nothing here deletes yet.
    named.push(...parseGitHubPayload(GitHubInstallationRepositoriesSchema, event, payload).repositories_added);
  }
  const unique = new Map(named.map((repo) => [repo.id, repo]));
  return [...unique.values()].sort((a, b) => a.id - b.id);
}

/**
 * Serializes deliveries for the same repository of the same organization until this transaction
 * ends: pull requests and deployments are read, compared with the payload and then written, and
 * incidents are found and then created with no unique key that would stop a concurrent second
 * insert (incidents.external_id is not unique). The repository upsert's row lock happens to
 * serialize them too, but only while Prisma runs it as INSERT … ON CONFLICT; this says it outright.
 * Locks are taken in repository id order, so events naming several repositories cannot deadlock.
 */
async function lockRepositories(tx: Tx, organizationId: string, repositories: readonly GitHubRepository[]) {
  for (const repository of repositories) {
    const key = `github-repository:${organizationId}:${repository.id}`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
  }
}

async function upsertRepository(tx: Tx, organizationId: string, repository: GitHubRepository): Promise<string> {
  const externalId = String(repository.id);
  const row = await tx.repository.upsert({
    where: { organizationId_provider_externalId: { organizationId, provider: "github", externalId } },
    create: {
      organizationId,
      provider: "github",
      externalId,
      fullName: repository.full_name,
      ...(repository.default_branch && { defaultBranch: repository.default_branch }),
    },
    update: {
      fullName: repository.full_name,
      ...(repository.default_branch && { defaultBranch: repository.default_branch }),
    },
    select: { id: true },
  });
  return row.id;
}
