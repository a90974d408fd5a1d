import { can, type RequestContext } from "@devflow/auth";
import {
  TriageSuggestionSchema,
  type ListProjectIssuesQuery,
  type Page,
  type ProjectIssueDocumentDto,
  type ProjectIssueDto,
} from "@devflow/contracts";
import type { Database, Tx } from "@devflow/db";
import { listVisibleProjectIds, loadVisibleProject } from "@devflow/domain-projects";
import { encodeCursor, forbidden, readCursor } from "@devflow/util-core";
import * as repo from "./project-issues.repository";

/**
 * The GitHub issues of a project's linked repositories, newest opened first, one page at a time,
 * each with the triage stored when it was opened (null when there is none, or it is in a shape
 * this version does not read) and the design docs it mentions that the reader may see. A project
 * hidden from the reader, or of another organization, is not_found.
 */
export async function listProjectIssues(
  db: Database,
  ctx: RequestContext,
  projectId: string,
  query: ListProjectIssuesQuery,
): Promise<Page<ProjectIssueDto>> {
  if (!can(ctx.actor, "project:read")) throw forbidden("You cannot read this organization's projects");
  const [openedAt, id] = query.cursor ? readCursor(query.cursor, ["timestamp", "uuid"]) : [];
  const before = openedAt && id ? { openedAt: new Date(openedAt), id } : undefined;
  return db.withTenant(ctx, async (tx) => {
    await loadVisibleProject(tx, ctx, projectId);
    const repositories = await repo.listProjectRepositories(tx, projectId);
    const names = new Map(repositories.map((r) => [r.id, r.fullName]));
    const rows = await repo.listIssues(tx, {
      repositoryIds: [...names.keys()],
      state: query.state === "all" ? null : query.state,
      limit: query.limit + 1,
      before,
    });
    const page = rows.slice(0, query.limit);
    const documents = await readVisibleDocuments(tx, ctx, [...new Set(page.flatMap((row) => row.linkedDocumentIds))]);
    const last = page.at(-1);
    return {
      items: page.map((row) => ({
        id: row.id,
        repositoryFullName: names.get(row.repositoryId) ?? "",
        number: row.number,
        title: row.title,
        state: row.state,
        labels: row.labels,
        url: row.url,
        milestone: row.milestone,
        openedAt: row.openedAt.toISOString(),
        triage: TriageSuggestionSchema.safeParse(row.triage).data ?? null,
        documents: row.linkedDocumentIds.flatMap((docId) => documents.get(docId) ?? []),
      })),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.openedAt.toISOString(), last.id]) : null,
    };
  });
}

/** The linked docs by id, leaving out those in projects the reader may not see (not even their titles). */
async function readVisibleDocuments(
  tx: Tx,
  ctx: RequestContext,
  ids: string[],
): Promise<Map<string, ProjectIssueDocumentDto>> {
  if (ids.length === 0) return new Map();
  const visible = await listVisibleProjectIds(tx, ctx);
  const rows = await repo.listDocuments(tx, ids);
  return new Map(
    rows
      .filter((doc) => visible === null || visible.includes(doc.projectId))
      .map((doc) => [doc.id, { id: doc.id, title: doc.title }]),
  );
}

export type ProjectIssuesService = ReturnType<typeof createProjectIssuesService>;

/** The project issue reads bound to one Database, for the web app's routes. */
export function createProjectIssuesService(db: Database) {
  return {
    list: (ctx: RequestContext, projectId: string, query: ListProjectIssuesQuery) =>
      listProjectIssues(db, ctx, projectId, query),
  };
}
