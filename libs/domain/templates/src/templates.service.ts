import { can, type RequestContext } from "@devflow/auth";
import {
  TEMPLATES_PER_ORGANIZATION_MAX,
  type CreateTemplateInput,
  type DocumentKind,
  type TemplateDto,
} from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { isUniqueViolation } from "@devflow/db";
import { AppError, forbidden, isUuid, notFound } from "@devflow/util-core";
import { BUILT_IN_TEMPLATES, fillTemplate } from "./built-in-templates";

export type TemplatesService = ReturnType<typeof createTemplatesService>;

/** Built-in templates and the organization's saved ones, and rendering one into a new document. */
export function createTemplatesService(db: Database, clock: () => Date = () => new Date()) {
  async function find(ctx: RequestContext, templateId: string): Promise<TemplateDto> {
    const builtIn = BUILT_IN_TEMPLATES.find((t) => t.id === templateId);
    if (builtIn) return { ...builtIn, builtIn: true, createdAt: null };
    if (!isUuid(templateId)) throw notFound("Template", templateId.slice(0, 64));
    const row = await db.withTenant(ctx, (tx) => tx.documentTemplate.findUnique({ where: { id: templateId } }));
    if (!row) throw notFound("Template", templateId);
    return toDto(row);
  }

  return {
    /** Built-in templates first, then the organization's, by name. */
    async list(ctx: RequestContext): Promise<TemplateDto[]> {
      if (!can(ctx.actor, "document:read")) throw forbidden("You cannot see this organization's templates");
      const saved = await db.withTenant(ctx, (tx) =>
        tx.documentTemplate.findMany({ orderBy: { name: "asc" }, take: TEMPLATES_PER_ORGANIZATION_MAX }),
      );
      return [...BUILT_IN_TEMPLATES.map((t) => ({ ...t, builtIn: true, createdAt: null })), ...saved.map(toDto)];
    },

    get: find,

    async create(ctx: RequestContext, input: CreateTemplateInput): Promise<TemplateDto> {
      if (!can(ctx.actor, "document:create")) throw forbidden("Viewers cannot save templates");
      try {
        const row = await db.withTenant(ctx, async (tx) => {
          const count = await tx.documentTemplate.count();
          if (count >= TEMPLATES_PER_ORGANIZATION_MAX) {
            throw new AppError(
              "conflict",
              `An organization can save at most ${TEMPLATES_PER_ORGANIZATION_MAX} templates`,
              {
                report: false,
              },
            );
          }
          return tx.documentTemplate.create({
            data: { organizationId: ctx.organizationId, ...input, createdById: ctx.actor.userId },
          });
        });
        return toDto(row);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new AppError("conflict", `A template named "${input.name}" already exists`, { report: false });
        }
        throw error;
      }
    },

    /** Admins may delete any saved template; others only their own. */
    async remove(ctx: RequestContext, templateId: string): Promise<void> {
      if (!isUuid(templateId)) throw forbidden("Built-in templates cannot be deleted");
      await db.withTenant(ctx, async (tx) => {
        const row = await tx.documentTemplate.findUnique({ where: { id: templateId } });
        if (!row) throw notFound("Template", templateId);
        const own = row.createdById === ctx.actor.userId && can(ctx.actor, "document:create");
        if (!own && !can(ctx.actor, "project:delete")) throw forbidden("Only admins can delete others' templates");
        await tx.documentTemplate.delete({ where: { id: templateId } });
      });
    },

    /** The kind and text a new document gets from a template, placeholders filled in. */
    async render(
      ctx: RequestContext,
      templateId: string,
      values: { title: string },
    ): Promise<{ kind: DocumentKind; content: string }> {
      const template = await find(ctx, templateId);
      const date = clock().toISOString().slice(0, 10);
      return { kind: template.kind, content: fillTemplate(template.content, { title: values.title, date }) };
    },
  };
}

function toDto(row: {
  id: string;
  name: string;
  description: string;
  kind: DocumentKind;
  content: string;
  createdAt: Date;
}): TemplateDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    kind: row.kind,
    content: row.content,
    builtIn: false,
    createdAt: row.createdAt.toISOString(),
  };
}
