import type { Tx } from "@devflow/db";
import { recordEvent } from "@devflow/events";
import { linkedDocumentIds } from "./doc-links";
import { GitHubIssuesEventSchema, milestoneFields, parseGitHubPayload, type GitHubIssue } from "./github-payloads";
import { incidentOf, isOlderThanStored } from "./github-rules";
import type { RepositoryScope, TouchedRow } from "./github-types";
import { upsertIncident } from "./incidents";

/** The issue actions that change what an issue row keeps; the rest (assigned, pinned…) change nothing. */
export const ISSUE_ACTIONS: ReadonlySet<string> = new Set([
  "opened",
  "edited",
  "closed",
  "reopened",
  "labeled",
  "unlabeled",
  "transferred",
  "milestoned",
  "demilestoned",
]);

/**
 * An `issues` event: the issue is kept (or forgotten when deleted) with the documents it mentions,
 * and one labelled `incident` is also an incident of the organization, keyed by
 * github:<repository id>:<issue number>. An incident whose label is later removed is kept as it
 * was; issue comments are not stored.
 */
export async function applyIssuesEvent(tx: Tx, scope: RepositoryScope, payload: unknown, action: string | undefined) {
  const { issue } = parseGitHubPayload(GitHubIssuesEventSchema, "issues", payload);
  if (action === "deleted") return deleteIssue(tx, scope, issue);
  if (!action || !ISSUE_ACTIONS.has(action)) return [];
  const touched = [await upsertIssue(tx, scope, issue, action)];
  const { isIncident, severity } = incidentOf(issue.labels);
  if (isIncident) touched.push(await upsertIncident(tx, scope, issue, severity, action));
  return touched;
}

/**
 * Keeps a repository's issue as GitHub last described it, with the DevFlow documents it mentions
 * (only the organization's own). GitHub's `updated_at` is stored with the row, so a payload that
 * describes an older state than the stored one (deliveries arrive in any order) changes nothing;
 * within one second — `updated_at`'s resolution — the close/reopen rule of isOlderThanStored decides.
 */
export async function upsertIssue(
  tx: Tx,
  scope: RepositoryScope,
  issue: GitHubIssue,
  action: string,
): Promise<TouchedRow> {
  const where = { repositoryId_number: { repositoryId: scope.repositoryId, number: issue.number } };
  const stored = await tx.issue.findUnique({
    where,
    select: { id: true, state: true, closedAt: true, sourceUpdatedAt: true },
  });
  const updatedAt = new Date(issue.updated_at);
  const closedAt = issue.state === "closed" ? new Date(issue.closed_at ?? issue.updated_at) : null;
  if (stored && isOlderIssue(stored, { state: issue.state, updatedAt, closedAt, action })) {
    return { table: "issues", id: stored.id, applied: false };
  }
  const fields = {
    title: issue.title,
    body: issue.body ?? "",
    state: issue.state,
    labels: issue.labels.map((label) => label.name),
    authorLogin: issue.user?.login ?? null,
    url: issue.html_url ?? null,
    linkedDocumentIds: await linkedDocumentIds(tx, scope.organizationId, issue.title, issue.body ?? null),
    openedAt: new Date(issue.created_at),
    closedAt,
    sourceUpdatedAt: updatedAt,
    ...milestoneFields(issue.milestone),
  };
  if (stored) {
    await tx.issue.update({ where: { id: stored.id }, data: fields, select: { id: true } });
    return { table: "issues", id: stored.id, applied: true };
  }
  const row = await tx.issue.create({
    data: { organizationId: scope.organizationId, repositoryId: scope.repositoryId, number: issue.number, ...fields },
    select: { id: true },
  });
  // First seen open (opened, or the first delivery of an older issue): triage suggests what it is.
  if (issue.state === "open") {
    await recordEvent(tx, {
      type: "issue.opened",
      organizationId: scope.organizationId,
      data: { issueId: row.id, repositoryId: scope.repositoryId },
    });
  }
  return { table: "issues", id: row.id, applied: true };
}

/** An issue deleted on GitHub is forgotten here too (an incident it was stays: it happened). */
export async function deleteIssue(tx: Tx, scope: RepositoryScope, issue: GitHubIssue): Promise<TouchedRow[]> {
  const stored = await tx.issue.findUnique({
    where: { repositoryId_number: { repositoryId: scope.repositoryId, number: issue.number } },
    select: { id: true },
  });
  if (!stored) return [];
  await tx.issue.delete({ where: { id: stored.id } });
  return [{ table: "issues", id: stored.id, applied: true }];
}

interface StoredIssue {
  state: string;
  closedAt: Date | null;
  sourceUpdatedAt: Date;
}

/** Whether `incoming` describes the issue as it was before the stored row. */
export function isOlderIssue(
  stored: StoredIssue,
  incoming: { state: "open" | "closed"; updatedAt: Date; closedAt: Date | null; action: string },
): boolean {
  const storedAt = stored.sourceUpdatedAt.getTime();
  const incomingAt = incoming.updatedAt.getTime();
  if (incomingAt !== storedAt) return incomingAt < storedAt;
  const state = stored.state === "closed" ? "closed" : "open";
  return isOlderThanStored({ state, closedAt: stored.closedAt }, incoming);
}
