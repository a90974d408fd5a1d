import type { GroupSummaryDto, Page, ProjectAccessDto, SetProjectAccessInput } from "@devflow/contracts";
import type { OrganizationScoped } from "./api";
import { api } from "./api";

export interface ListGroupsArgs extends OrganizationScoped {
  /** Part of a group's name. */
  q?: string;
  limit?: number;
}

const accessTag = (projectId: string) => ({ type: "ProjectAccess" as const, id: projectId });

/** Who may see a project, and the organization's groups to choose from. */
const projectAccessApi = api.injectEndpoints({
  endpoints: (build) => ({
    getProjectAccess: build.query<ProjectAccessDto, OrganizationScoped & { projectId: string }>({
      query: ({ organizationId, projectId }) => ({ url: `/projects/${projectId}/access`, organizationId }),
      providesTags: (_data, _error, { projectId }) => [accessTag(projectId)],
    }),
    setProjectAccess: build.mutation<
      ProjectAccessDto,
      OrganizationScoped & { projectId: string; input: SetProjectAccessInput }
    >({
      query: ({ organizationId, projectId, input }) => ({
        url: `/projects/${projectId}/access`,
        method: "PUT",
        organizationId,
        body: input,
      }),
      // Visibility shows on the project itself and decides which lists it appears in.
      invalidatesTags: (_data, _error, { projectId }) => [
        accessTag(projectId),
        { type: "Project", id: projectId },
        { type: "Project", id: "list" },
      ],
    }),
    listGroups: build.infiniteQuery<Page<GroupSummaryDto>, ListGroupsArgs, string | null>({
      infiniteQueryOptions: { initialPageParam: null, getNextPageParam: (lastPage) => lastPage.nextCursor },
      query: ({ queryArg, pageParam }) => ({
        url: "/groups",
        organizationId: queryArg.organizationId,
        params: { cursor: pageParam, limit: queryArg.limit, q: queryArg.q || undefined },
      }),
      providesTags: [{ type: "ProjectAccess", id: "groups" }],
    }),
  }),
});

export const { useGetProjectAccessQuery, useListGroupsInfiniteQuery, useSetProjectAccessMutation } = projectAccessApi;
