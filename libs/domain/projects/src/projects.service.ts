import type { RequestContext } from "@devflow/auth";
import { can } from "@devflow/auth";
import {
  PROJECT_SHARED_RECIPIENTS_MAX,
  type CreateProjectInput,
  type GroupSummaryDto,
  type ListGroupsQuery,
  type ListProjectsQuery,
  type Page,
  type ProjectAccessDto,
  type ProjectDto,
  type SetProjectAccessInput,
  type UpdateProjectInput,
} from "@devflow/contracts";
import { type Database, isUniqueViolation, type Tx } from "@devflow/db";
import { recordAudit, type AuditActorType, type AuditEntry } from "@devflow/domain-audit";
import { recordEvent } from "@devflow/events";
import { AppError, encodeCursor, forbidden, notFound, projectKeyFrom, readCursor } from "@devflow/util-core";
import * as repo from "./projects.repository";
import type { GroupRow, ProjectRow } from "./projects.repository";
import { selectNewlySharedUserIds, type ProjectAudience } from "./project-sharing";

export type ProjectsService = ReturnType<typeof createProjectsService>;

/**
 * Loads a project the actor may see inside the caller's tenant transaction, or throws not_found
 * (never "exists but hidden"). Other domains use it to check a project before touching its content.
 */
export async function loadVisibleProject(tx: Tx, ctx: RequestContext, projectId: string): Promise<ProjectRow> {
  const where = await repo.visibleTo(tx, ctx.actor.userId, seesAllProjects(ctx));
  const project = await repo.findProject(tx, { AND: [where, { id: projectId }] });
  if (!project) throw notFound("Project", projectId);
  return project;
}

/**
 * Ids of the projects the actor may see, for queries that must filter in SQL (search ranks only
 * what the reader may open); null when the actor sees every project of the organization.
 */
export async function listVisibleProjectIds(tx: Tx, ctx: RequestContext): Promise<string[] | null> {
  if (seesAllProjects(ctx)) return null;
  return repo.listProjectIds(tx, await repo.visibleTo(tx, ctx.actor.userId, false));
}

export function createProjectsService(db: Database) {
  return {
    async list(ctx: RequestContext, query: ListProjectsQuery): Promise<Page<ProjectDto>> {
      const [name, id] = query.cursor ? readCursor(query.cursor, ["text", "uuid"]) : [];
      const rows = await db.withTenant(ctx, async (tx) => {
        const where = await repo.visibleTo(tx, ctx.actor.userId, seesAllProjects(ctx));
        const archived = query.archived ? { archivedAt: { not: null } } : { archivedAt: null };
        return repo.listProjects(tx, { AND: [where, archived] }, query.limit, name && id ? { name, id } : undefined);
      });
      const items = rows.slice(0, query.limit);
      const last = items.at(-1);
      return {
        items: items.map(toProjectDto),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.name, last.id]) : null,
      };
    },

    async get(ctx: RequestContext, projectId: string): Promise<ProjectDto> {
      return toProjectDto(await db.withTenant(ctx, (tx) => loadVisibleProject(tx, ctx, projectId)));
    },

    async create(ctx: RequestContext, input: CreateProjectInput): Promise<ProjectDto> {
      if (!can(ctx.actor, "project:create")) throw forbidden("Viewers cannot create projects");
      return db.withTenant(ctx, async (tx) => {
        const key = input.key ?? (await freeKey(tx, projectKeyFrom(input.name)));
        const visibility = input.visibility ?? "organization";
        // The creator may manage access, so keep them able to see what they made.
        const userIds = [
          ...new Set([...(input.userIds ?? []), ...(visibility === "private" ? [ctx.actor.userId] : [])]),
        ];
        const groupIds = input.groupIds ?? [];
        let row: ProjectRow;
        try {
          row = await repo.insertProject(tx, {
            organizationId: ctx.organizationId,
            key,
            name: input.name,
            description: input.description,
            visibility,
            createdById: ctx.actor.userId,
          });
        } catch (error) {
          if (isUniqueViolation(error)) {
            throw new AppError("conflict", `A project with key ${key} already exists`, { report: false, cause: error });
          }
          throw error;
        }
        if (userIds.length || groupIds.length) {
          await assertListable(tx, ctx, { userIds, groupIds });
          await repo.addAccessRows(tx, ctx.organizationId, row.id, { userIds, groupIds });
          const groupMembers = await repo.listGroupMemberIds(tx, groupIds);
          await recordShared(tx, ctx, row.id, null, audienceOf(visibility, userIds, groupIds, groupMembers));
          await audit(tx, ctx, {
            action: "project.access_changed",
            target: { type: "project", id: row.id },
            metadata: {
              usersAdded: userIds.length,
              usersRemoved: 0,
              groupsAdded: groupIds.length,
              groupsRemoved: 0,
              userCount: userIds.length,
              groupCount: groupIds.length,
            },
          });
        }
        if (visibility === "private") {
          await audit(tx, ctx, {
            action: "project.visibility_changed",
            target: { type: "project", id: row.id },
            metadata: { from: null, to: visibility },
          });
        }
        return toProjectDto(row);
      });
    },

    async update(ctx: RequestContext, projectId: string, input: UpdateProjectInput): Promise<ProjectDto> {
      if (!can(ctx.actor, "project:update")) throw forbidden("You cannot change projects");
      return db.withTenant(ctx, async (tx) => {
        await loadVisibleProject(tx, ctx, projectId);
        const row = await repo.updateProject(tx, projectId, {
          ...(input.name !== undefined && { name: input.name }),
          ...(input.description !== undefined && { description: input.description }),
          ...(input.archived !== undefined && { archivedAt: input.archived ? new Date() : null }),
        });
        return toProjectDto(row);
      });
    },

    /** Who may see the project; anyone who can see it may ask. */
    async getAccess(ctx: RequestContext, projectId: string): Promise<ProjectAccessDto> {
      return db.withTenant(ctx, async (tx) => {
        const project = await loadVisibleProject(tx, ctx, projectId);
        return readAccess(tx, ctx, project);
      });
    },

    /**
     * Replaces the project's visibility and access list. Admins and owners may, and so may the
     * project's creator; a creator who is not an admin must stay on a private project's list.
     */
    async setAccess(ctx: RequestContext, projectId: string, input: SetProjectAccessInput): Promise<ProjectAccessDto> {
      return db.withTenant(ctx, async (tx) => {
        await repo.lockProject(tx, projectId);
        const project = await loadVisibleProject(tx, ctx, projectId);
        if (!(await mayManageAccess(tx, ctx, project))) {
          throw forbidden(`Only admins and the project's creator can change who can see project ${project.key}`);
        }
        await assertListable(tx, ctx, input);
        if (input.visibility === "private" && !seesAllProjects(ctx)) {
          const staysListed =
            input.userIds.includes(ctx.actor.userId) || (await repo.isInAnyGroup(tx, ctx.actor.userId, input.groupIds));
          if (!staysListed) {
            throw invalid("userIds", "Keep yourself on the list of a private project, or you could no longer see it");
          }
        }

        const current = await repo.listAccessRows(tx, projectId);
        const currentUsers = new Set(current.flatMap((r) => (r.userId ? [r.userId] : [])));
        const currentGroups = new Set(current.flatMap((r) => (r.groupId ? [r.groupId] : [])));
        const added = {
          userIds: input.userIds.filter((id) => !currentUsers.has(id)),
          groupIds: input.groupIds.filter((id) => !currentGroups.has(id)),
        };
        const removed = {
          userIds: [...currentUsers].filter((id) => !input.userIds.includes(id)),
          groupIds: [...currentGroups].filter((id) => !input.groupIds.includes(id)),
        };
        await repo.removeAccessRows(tx, projectId, removed);
        await repo.addAccessRows(tx, ctx.organizationId, projectId, added);
        const groupMembers = await repo.listGroupMemberIds(tx, [...new Set([...currentGroups, ...input.groupIds])]);
        await recordShared(
          tx,
          ctx,
          projectId,
          audienceOf(project.visibility, [...currentUsers], [...currentGroups], groupMembers),
          audienceOf(input.visibility, input.userIds, input.groupIds, groupMembers),
        );

        let updated = project;
        if (input.visibility !== project.visibility) {
          updated = await repo.updateProject(tx, projectId, { visibility: input.visibility });
          await audit(tx, ctx, {
            action: "project.visibility_changed",
            target: { type: "project", id: projectId },
            metadata: { from: project.visibility, to: input.visibility },
          });
        }
        const changes = [added.userIds, added.groupIds, removed.userIds, removed.groupIds];
        if (changes.some((ids) => ids.length > 0)) {
          await audit(tx, ctx, {
            action: "project.access_changed",
            target: { type: "project", id: projectId },
            metadata: {
              usersAdded: added.userIds.length,
              usersRemoved: removed.userIds.length,
              groupsAdded: added.groupIds.length,
              groupsRemoved: removed.groupIds.length,
              userCount: input.userIds.length,
              groupCount: input.groupIds.length,
            },
          });
        }
        return readAccess(tx, ctx, updated);
      });
    },

    /** The organization's groups, for choosing who may see a private project. */
    async listGroups(ctx: RequestContext, query: ListGroupsQuery): Promise<Page<GroupSummaryDto>> {
      if (!can(ctx.actor, "members:read")) throw forbidden("You cannot list the organization's groups");
      const [name, id] = query.cursor ? readCursor(query.cursor, ["text", "uuid"]) : [];
      const rows = await db.withTenant(ctx, (tx) =>
        repo.listGroups(
          tx,
          ctx.organizationId,
          query.q || undefined,
          query.limit,
          name && id ? { name, id } : undefined,
        ),
      );
      const items = rows.slice(0, query.limit);
      const last = items.at(-1);
      return {
        items: items.map(toGroupSummaryDto),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.name, last.id]) : null,
      };
    },

    async remove(ctx: RequestContext, projectId: string): Promise<void> {
      if (!can(ctx.actor, "project:delete")) throw forbidden("Only admins can delete projects");
      await db.withTenant(ctx, async (tx) => {
        await loadVisibleProject(tx, ctx, projectId);
        await repo.deleteProject(tx, projectId);
      });
    },
  };
}

async function mayManageAccess(tx: Tx, ctx: RequestContext, project: ProjectRow): Promise<boolean> {
  const resource = {
    kind: "project" as const,
    visibility: project.visibility,
    actorIsMember: project.visibility === "private" && (await repo.isListed(tx, project.id, ctx.actor.userId)),
  };
  if (can(ctx.actor, "project:manage_access", resource)) return true;
  // A creator acts with their current role: a read-only token or a demotion to viewer takes this away.
  return project.createdById === ctx.actor.userId && can(ctx.actor, "project:update", resource);
}

async function readAccess(tx: Tx, ctx: RequestContext, project: ProjectRow): Promise<ProjectAccessDto> {
  const rows = await repo.listAccessRows(tx, project.id);
  const userIds = rows.flatMap((r) => (r.userId ? [r.userId] : []));
  const groupIds = rows.flatMap((r) => (r.groupId ? [r.groupId] : []));
  // People who left or were deactivated keep their row until the next save, but are not shown as having access.
  const members = await repo.findActiveMembers(tx, ctx.organizationId, userIds);
  const groups = await repo.findGroups(tx, ctx.organizationId, groupIds);
  const canManage = await mayManageAccess(tx, ctx, project);
  return {
    projectId: project.id,
    visibility: project.visibility,
    members: members.map((m) => ({ userId: m.userId, name: m.user.name, email: m.user.email, role: m.role })),
    groups: groups.map((g) => ({ groupId: g.id, name: g.name, memberCount: g._count.members })),
    canManage,
  };
}

/**
 * Checks that every id names an active member or a group of this organization; anything else
 * (another organization's, deactivated, made up) is refused by id rather than silently dropped.
 */
async function assertListable(
  tx: Tx,
  ctx: RequestContext,
  input: { userIds: readonly string[]; groupIds: readonly string[] },
): Promise<void> {
  const members = await repo.findActiveMembers(tx, ctx.organizationId, input.userIds);
  const memberIds = new Set(members.map((m) => m.userId));
  const badUser = input.userIds.find((id) => !memberIds.has(id));
  if (badUser) throw invalid("userIds", `User ${badUser} is not an active member of this organization`);

  const groups = await repo.findGroups(tx, ctx.organizationId, input.groupIds);
  const groupIds = new Set(groups.map((g) => g.id));
  const badGroup = input.groupIds.find((id) => !groupIds.has(id));
  if (badGroup) throw invalid("groupIds", `Group ${badGroup} is not a group of this organization`);
}

function invalid(field: "userIds" | "groupIds", message: string): AppError {
  return new AppError("validation_failed", message, { report: false, details: { issues: [{ path: field, message }] } });
}

function audienceOf(
  visibility: ProjectAudience["visibility"],
  userIds: readonly string[],
  groupIds: readonly string[],
  groupMembers: ReadonlyMap<string, readonly string[]>,
): ProjectAudience {
  return { visibility, userIds, groupMemberIds: groupIds.flatMap((id) => groupMembers.get(id) ?? []) };
}

/**
 * Records `project.shared` for the people the change lets see the private project who could not
 * before, in the grant's own transaction (so they hear of it if and only if it commits). Active
 * members only, and not admins or owners, who see every project already. A long list is split
 * into several events.
 */
async function recordShared(
  tx: Tx,
  ctx: RequestContext,
  projectId: string,
  before: ProjectAudience | null,
  after: ProjectAudience,
): Promise<void> {
  const candidates = selectNewlySharedUserIds(before, after, ctx.actor.userId);
  if (candidates.length === 0) return;
  const members = await repo.findActiveMembers(tx, ctx.organizationId, candidates);
  const newlySeeing = new Set(members.filter((m) => m.role !== "owner" && m.role !== "admin").map((m) => m.userId));
  const userIds = candidates.filter((id) => newlySeeing.has(id));
  for (let start = 0; start < userIds.length; start += PROJECT_SHARED_RECIPIENTS_MAX) {
    await recordEvent(tx, {
      type: "project.shared",
      organizationId: ctx.organizationId,
      data: {
        projectId,
        sharedById: ctx.actor.userId,
        userIds: userIds.slice(start, start + PROJECT_SHARED_RECIPIENTS_MAX),
      },
    });
  }
}

/** Records an entry for a change made by `ctx`'s actor, in the change's own transaction. */
function audit(tx: Tx, ctx: RequestContext, entry: Omit<AuditEntry, "actor" | "ipAddress">): Promise<void> {
  const kind = ctx.actor.via?.kind;
  const type: AuditActorType = kind === "api_token" ? "api_token" : kind === "scim" ? "scim" : "user";
  return recordAudit(tx, ctx.organizationId, {
    ...entry,
    actor: { type, userId: ctx.actor.userId },
    ipAddress: ctx.ipAddress ?? null,
  });
}

function toGroupSummaryDto(row: GroupRow): GroupSummaryDto {
  return { id: row.id, name: row.name, memberCount: row._count.members, isExternal: row.externalId !== null };
}

function seesAllProjects(ctx: RequestContext): boolean {
  return ctx.actor.role === "owner" || ctx.actor.role === "admin";
}

/** "PP", then "PP2", "PP3"… — the first key not taken in the organization. */
async function freeKey(tx: Tx, base: string): Promise<string> {
  for (let n = 1; n < 100; n++) {
    const candidate = n === 1 ? base : `${base.slice(0, 8)}${n}`;
    if (!(await repo.keyExists(tx, candidate))) return candidate;
  }
  throw new AppError("conflict", `No free project key starting with ${base}; choose one`, { report: false });
}

function toProjectDto(row: ProjectRow): ProjectDto {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    visibility: row.visibility,
    documentCount: row._count.documents,
    archivedAt: row.archivedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
