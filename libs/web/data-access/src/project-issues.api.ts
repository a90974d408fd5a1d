import type { Page, ProjectIssueDto, ProjectIssueStateFilter } from "@devflow/contracts";
import { api, type OrganizationScoped } from "./api";

export interface ListProjectIssuesArgs extends OrganizationScoped {
  projectId: string;
  /** open (the server's default), closed or all. */
  state?: ProjectIssueStateFilter;
  limit?: number;
}

// Read-only views of GitHub data and its stored triage: nothing in the app changes them, so no tags.
const projectIssuesApi = api.injectEndpoints({
  endpoints: (build) => ({
    listProjectIssues: build.infiniteQuery<Page<ProjectIssueDto>, ListProjectIssuesArgs, string | null>({
      infiniteQueryOptions: { initialPageParam: null, getNextPageParam: (lastPage) => lastPage.nextCursor },
      query: ({ queryArg: { organizationId, projectId, state, limit }, pageParam }) => ({
        url: `/projects/${encodeURIComponent(projectId)}/issues`,
        organizationId,
        params: { cursor: pageParam, limit, state },
      }),
    }),
  }),
});

export const { useListProjectIssuesInfiniteQuery } = projectIssuesApi;
