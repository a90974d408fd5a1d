import type { RequestContext } from "@devflow/auth";
import { can } from "@devflow/auth";
import type { Tx } from "@devflow/db";
import { listVisibleProjectIds, loadVisibleProject } from "@devflow/domain-projects";
import { forbidden } from "@devflow/util-core";

/**
 * What one reader may see of the AI activity log and the agent ledger (see `ai_activity:read` in
 * libs/auth/src/policy.ts for the rule and why):
 * - `organization`: every row of the organization (admins and owners, or a token with the admin scope);
 * - `own`: rows tied to a project the reader can see (anyone's), plus their own rows tied to no
 *   project. A row in a private project the reader is not on is hidden, their own included: what a
 *   tool read or wrote there is that project's content.
 */
export type ActivityReaderScope =
  | { kind: "organization" }
  | {
      kind: "own";
      userId: string;
      /** Projects the reader can see; null when they see every project (an admin acting with a read-only token). */
      visibleProjectIds: string[] | null;
    };

/** Throws forbidden before any query when the actor may not read AI activity at all (SCIM, for one). */
export function assertReadsActivity(ctx: RequestContext): void {
  if (!can(ctx.actor, "ai_activity:read") && !can(ctx.actor, "ai_activity:read_own")) {
    throw forbidden("You cannot read AI activity in this organization");
  }
}

/** The reader's scope, worked out inside their tenant transaction. */
export async function readerScope(tx: Tx, ctx: RequestContext): Promise<ActivityReaderScope> {
  assertReadsActivity(ctx);
  if (can(ctx.actor, "ai_activity:read")) return { kind: "organization" };
  return { kind: "own", userId: ctx.actor.userId, visibleProjectIds: await listVisibleProjectIds(tx, ctx) };
}

/**
 * Checks a `projectId` filter: a member asking about a project they cannot see (private, or another
 * organization's) gets not_found, exactly as opening the project would. Organization-wide readers are
 * not checked, so they can still look at the activity of a project deleted since.
 */
export async function assertProjectFilter(
  tx: Tx,
  ctx: RequestContext,
  scope: ActivityReaderScope,
  projectId: string | undefined,
): Promise<void> {
  if (projectId && scope.kind === "own") await loadVisibleProject(tx, ctx, projectId);
}

/** The scope as a Prisma filter over rows with `projectId` and `userId` (ai_activities, agent_executions). */
export function scopeWhere(scope: ActivityReaderScope) {
  if (scope.kind === "organization") return {};
  const inVisibleProjects =
    scope.visibleProjectIds === null ? { projectId: { not: null } } : { projectId: { in: scope.visibleProjectIds } };
  return { OR: [inVisibleProjects, { projectId: null, userId: scope.userId }] };
}

/**
 * The scope as SQL over a table with `project_id` and `user_id`, appending its parameters to
 * `params` (so placeholders stay numbered in order). Returns "TRUE" for organization-wide readers.
 */
export function scopeSql(scope: ActivityReaderScope, params: unknown[]): string {
  if (scope.kind === "organization") return "TRUE";
  params.push(scope.userId);
  const user = `$${params.length}::uuid`;
  if (scope.visibleProjectIds === null) return `(project_id IS NOT NULL OR user_id = ${user})`;
  params.push(`{${scope.visibleProjectIds.join(",")}}`);
  const visible = `$${params.length}::uuid[]`;
  return `(project_id = ANY(${visible}) OR (project_id IS NULL AND user_id = ${user}))`;
}
