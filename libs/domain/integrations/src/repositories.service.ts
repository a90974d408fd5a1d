import { can, type RequestContext } from "@devflow/auth";
import {
  REPOSITORY_RECENT_DEPLOYMENTS_DAYS,
  type ListRepositoriesQuery,
  type Page,
  type RepositoryDto,
} from "@devflow/contracts";
import type { Database, Tx } from "@devflow/db";
import { recordAudit, type AuditActorType } from "@devflow/domain-audit";
import { listVisibleProjectIds, loadVisibleProject } from "@devflow/domain-projects";
import { AppError, encodeCursor, forbidden, notFound, readCursor } from "@devflow/util-core";
import * as repo from "./repositories.repository";
import type { RepositoryRow } from "./repositories.repository";

const DAY_MS = 86_400_000;

/**
 * The organization's repositories (those its GitHub webhooks told DevFlow about), by full name,
 * with the project each feeds and how busy it is. Any member may list them; a project the reader
 * may not see (private, not theirs) is left out of its repositories' rows. With `projectId`, only
 * that project's repositories — not_found when the reader may not see the project.
 */
export async function listRepositories(
  db: Database,
  ctx: RequestContext,
  query: Pick<ListRepositoriesQuery, "cursor" | "limit" | "projectId">,
): Promise<Page<RepositoryDto>> {
  if (!can(ctx.actor, "organization:read")) throw forbidden("You cannot read this organization's repositories");
  const [fullName, id] = query.cursor ? readCursor(query.cursor, ["text", "uuid"]) : [];
  return db.withTenant(ctx, async (tx) => {
    if (query.projectId) await loadVisibleProject(tx, ctx, query.projectId);
    const rows = await repo.listRepositories(tx, {
      projectId: query.projectId,
      since: recentSince(),
      limit: query.limit,
      after: fullName && id ? { fullName, id } : undefined,
    });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: await toRepositoryDtos(tx, ctx, items),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.fullName, last.id]) : null,
    };
  });
}

/**
 * Links a repository to the project whose DORA metrics it feeds, or unlinks it (`projectId`
 * null). Admins and owners only — the permission that manages the integration the repository came
 * from. The project must be one of the organization's (another's, or an unknown id, is
 * not_found, as is another organization's repository) and not archived. The change and its audit
 * entry (`repository.project_changed`) commit together; setting the project it already has
 * records nothing.
 */
export async function linkRepository(
  db: Database,
  ctx: RequestContext,
  repositoryId: string,
  projectId: string | null,
): Promise<RepositoryDto> {
  if (!can(ctx.actor, "integrations:manage")) {
    throw forbidden("Only admins and owners can link repositories to projects");
  }
  return db.withTenant(ctx, async (tx) => {
    const current = await repo.lockRepository(tx, repositoryId);
    if (!current) throw notFound("Repository", repositoryId);
    if (projectId !== null) await assertLinkable(tx, projectId);
    if (current.projectId !== projectId) {
      await repo.setRepositoryProject(tx, repositoryId, projectId);
      await audit(
        tx,
        ctx,
        { id: repositoryId, fullName: current.fullName },
        { from: current.projectId, to: projectId },
      );
    }
    const row = await repo.findRepository(tx, repositoryId, recentSince());
    const [dto] = await toRepositoryDtos(tx, ctx, [row!]);
    return dto!;
  });
}

async function assertLinkable(tx: Tx, projectId: string): Promise<void> {
  const [project] = await repo.findProjects(tx, [projectId]);
  if (!project) throw notFound("Project", projectId);
  if (project.archivedAt) {
    const message = `Project ${project.key} is archived; restore it before linking repositories to it`;
    throw new AppError("validation_failed", message, {
      report: false,
      details: { issues: [{ path: "projectId", message }] },
    });
  }
}

function recentSince(): Date {
  return new Date(Date.now() - REPOSITORY_RECENT_DEPLOYMENTS_DAYS * DAY_MS);
}

/** The rows as DTOs, each with its project only when the reader may see that project. */
async function toRepositoryDtos(tx: Tx, ctx: RequestContext, rows: RepositoryRow[]): Promise<RepositoryDto[]> {
  const linkedIds = [...new Set(rows.flatMap((r) => (r.projectId ? [r.projectId] : [])))];
  const visibleIds = linkedIds.length ? await listVisibleProjectIds(tx, ctx) : null;
  const visible = visibleIds && new Set(visibleIds);
  const projects = new Map(
    (await repo.findProjects(tx, linkedIds)).filter((p) => !visible || visible.has(p.id)).map((p) => [p.id, p]),
  );
  return rows.map((row) => {
    const project = row.projectId ? projects.get(row.projectId) : undefined;
    return {
      id: row.id,
      provider: row.provider,
      fullName: row.fullName,
      defaultBranch: row.defaultBranch,
      project: project
        ? { id: project.id, key: project.key, name: project.name, isArchived: project.archivedAt !== null }
        : null,
      openPullRequestCount: row._count.pullRequests,
      recentDeploymentCount: row._count.deployments,
    };
  });
}

function audit(
  tx: Tx,
  ctx: RequestContext,
  repository: { id: string; fullName: string },
  change: { from: string | null; to: string | null },
) {
  const type: AuditActorType = ctx.actor.via?.kind === "api_token" ? "api_token" : "user";
  return recordAudit(tx, ctx.organizationId, {
    action: "repository.project_changed",
    actor: { type, userId: ctx.actor.userId },
    target: { type: "repository", id: repository.id },
    metadata: { fullName: repository.fullName, fromProjectId: change.from, toProjectId: change.to },
    ipAddress: ctx.ipAddress ?? null,
  });
}
