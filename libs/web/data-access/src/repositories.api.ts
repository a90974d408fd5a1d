import type { LinkRepositoryInput, Page, QualityGateSettings, RepositoryDto } from "@devflow/contracts";
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

export interface QualityGatesArgs extends OrganizationScoped {
  repositoryId: string;
}

export interface SetQualityGatesArgs extends QualityGatesArgs {
  gates: QualityGateSettings;
}

const repositoryList = { type: "Repository" as const, id: "list" };
/** One repository's quality gates: they are not in the list's rows, so saving them leaves the list alone. */
const qualityGatesOf = (repositoryId: string) => ({ type: "Repository" as const, id: `gates:${repositoryId}` });

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
    getQualityGates: build.query<QualityGateSettings, QualityGatesArgs>({
      query: ({ organizationId, repositoryId }) => ({
        url: `/repositories/${encodeURIComponent(repositoryId)}/quality-gates`,
        organizationId,
      }),
      providesTags: (_result, _error, { repositoryId }) => [qualityGatesOf(repositoryId)],
    }),
    setQualityGates: build.mutation<QualityGateSettings, SetQualityGatesArgs>({
      query: ({ organizationId, repositoryId, gates }) => ({
        url: `/repositories/${encodeURIComponent(repositoryId)}/quality-gates`,
        method: "PUT",
        organizationId,
        body: gates,
      }),
      invalidatesTags: (_result, _error, { repositoryId }) => [qualityGatesOf(repositoryId)],
    }),
  }),
});

export const {
  useGetQualityGatesQuery,
  useLinkRepositoryMutation,
  useListRepositoriesInfiniteQuery,
  useSetQualityGatesMutation,
} = repositoriesApi;
