import type { LinkRepositoryInput, Page, RepositoryDto } from "@devflow/contracts";
import { api, type OrganizationScoped } from "./api";

export interface ListRepositoriesArgs extends OrganizationScoped {
  /** Only this project's repositories. */
  projectId?: string;
  limit?: number;
}

export interface LinkRepositoryArgs extends OrganizationScoped {
  repositoryId: string;
  input: LinkRepositoryInput;
}

const repositoryList = { type: "Repository" as const, id: "list" };

// "DoraMetrics" is dora.api.ts's tag; naming it here too registers it whichever file loads first.
const repositoriesApi = api.enhanceEndpoints({ addTagTypes: ["Repository", "DoraMetrics"] }).injectEndpoints({
  endpoints: (build) => ({
    listRepositories: build.infiniteQuery<Page<RepositoryDto>, ListRepositoriesArgs, string | null>({
      infiniteQueryOptions: { initialPageParam: null, getNextPageParam: (lastPage) => lastPage.nextCursor },
      query: ({ queryArg: { organizationId, projectId, limit }, pageParam }) => ({
        url: "/repositories",
        organizationId,
        params: { cursor: pageParam, limit, projectId },
      }),
      providesTags: [repositoryList],
    }),
    /**
     * A repository's history moves from its old project's metrics to its new one's; the old project
     * is not in the arguments, so every cached DORA window is read again.
     */
    linkRepository: build.mutation<RepositoryDto, LinkRepositoryArgs>({
      query: ({ organizationId, repositoryId, input }) => ({
        url: `/repositories/${encodeURIComponent(repositoryId)}/project`,
        method: "PUT",
        organizationId,
        body: input,
      }),
      invalidatesTags: [repositoryList, "DoraMetrics"],
    }),
  }),
});

export const { useLinkRepositoryMutation, useListRepositoriesInfiniteQuery } = repositoriesApi;
