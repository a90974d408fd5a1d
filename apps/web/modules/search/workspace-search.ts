import { can, type RequestContext } from "@devflow/auth";
import { SEARCH_PASSAGES_PER_RESULT_MAX, type SearchQuery, type SearchResponseDto } from "@devflow/contracts";
import { AppError } from "@devflow/util-core";
import { groupPassages, type RankedPassage } from "./group-passages";

/** What workspace search needs from retrieval: ranked passages the caller may read. */
export interface PassageRetrieval {
  search(
    ctx: RequestContext,
    input: { query: string; limit?: number; projectId?: string; sourceTypes?: string[] },
  ): Promise<readonly RankedPassage[]>;
}

/** What it needs from projects: a name to show beside each result. */
export interface ProjectNames {
  get(ctx: RequestContext, projectId: string): Promise<{ name: string }>;
}

export interface WorkspaceSearchOptions {
  retrieval: PassageRetrieval;
  projects: ProjectNames;
  /** The embedder the index was built with, as the response reports it. */
  retrievalInfo: SearchResponseDto["retrieval"];
  /** The most passages retrieval returns for one search. */
  maxPassages: number;
}

/**
 * Search over the organization's documents for the search box and `GET /api/v1/search`: hybrid
 * retrieval (which keeps to what the caller may read, before ranking), grouped per document.
 */
export function createWorkspaceSearch({ retrieval, projects, retrievalInfo, maxPassages }: WorkspaceSearchOptions) {
  return {
    async search(ctx: RequestContext, query: SearchQuery): Promise<SearchResponseDto> {
      // Checked here as well as in retrieval so a token without the read scope learns why, not "no matches".
      if (!can(ctx.actor, "document:read")) {
        throw new AppError(
          "forbidden",
          "Searching needs permission to read documents (an API token needs the read scope)",
          {
            report: false,
          },
        );
      }
      const passages = await retrieval.search(ctx, {
        query: query.q,
        // Several passages can come from one document; ask for enough to fill `limit` documents.
        limit: Math.min(query.limit * SEARCH_PASSAGES_PER_RESULT_MAX, maxPassages),
        ...(query.projectId && { projectId: query.projectId }),
        sourceTypes: ["document"],
      });
      const projectNames = await namesOf(ctx, projects, new Set(passages.map((p) => p.projectId)));
      return {
        query: query.q,
        results: groupPassages(passages, { limit: query.limit, query: query.q, projectNames }),
        retrieval: retrievalInfo,
      };
    },
  };
}
export type WorkspaceSearch = ReturnType<typeof createWorkspaceSearch>;

/** Project names for display; a project that cannot be read any more is shown without a name. */
async function namesOf(ctx: RequestContext, projects: ProjectNames, ids: Set<string>): Promise<Map<string, string>> {
  const entries = await Promise.all(
    [...ids].map(async (id) => {
      const project = await projects.get(ctx, id).catch((error: unknown) => {
        if (error instanceof AppError && (error.code === "not_found" || error.code === "forbidden")) return null;
        throw error;
      });
      return project ? ([id, project.name] as const) : null;
    }),
  );
  return new Map(entries.filter((e) => e !== null));
}
