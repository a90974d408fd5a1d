import type { RequestContext } from "@devflow/auth";
import { can } from "@devflow/auth";
import type { CreateProjectInput, ListProjectsQuery, Page, ProjectDto, UpdateProjectInput } from "@devflow/contracts";
import { type Database, isUniqueViolation, type Tx } from "@devflow/db";
import { AppError, encodeCursor, forbidden, notFound, projectKeyFrom, readCursor } from "@devflow/util-core";
import * as repo from "./projects.repository";
import type { ProjectRow } from "./projects.repository";

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
        try {
          const row = await repo.insertProject(tx, {
            organizationId: ctx.organizationId,
            key,
            name: input.name,
            description: input.description,
            createdById: ctx.actor.userId,
          });
          return toProjectDto(row);
        } catch (error) {
          if (isUniqueViolation(error)) {
            throw new AppError("conflict", `A project with key ${key} already exists`, { report: false, cause: error });
          }
          throw error;
        }
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

    async remove(ctx: RequestContext, projectId: string): Promise<void> {
      if (!can(ctx.actor, "project:delete")) throw forbidden("Only admins can delete projects");
      await db.withTenant(ctx, async (tx) => {
        await loadVisibleProject(tx, ctx, projectId);
        await repo.deleteProject(tx, projectId);
      });
    },
  };
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
