import type { MilestoneListDto, ReleaseReadinessDto } from "@devflow/contracts";
import { api, type OrganizationScoped } from "./api";

export interface ListMilestonesArgs extends OrganizationScoped {
  projectId: string;
}

export interface GetReleaseReadinessArgs extends ListMilestonesArgs {
  /** The milestone's title, as GitHub names it. */
  milestone: string;
}

// Read-only views of GitHub data: nothing in the app changes them, so no tags to invalidate.
const releasesApi = api.injectEndpoints({
  endpoints: (build) => ({
    listMilestones: build.query<MilestoneListDto, ListMilestonesArgs>({
      query: ({ organizationId, projectId }) => ({
        url: `/projects/${encodeURIComponent(projectId)}/milestones`,
        organizationId,
      }),
    }),
    getReleaseReadiness: build.query<ReleaseReadinessDto, GetReleaseReadinessArgs>({
      query: ({ organizationId, projectId, milestone }) => ({
        url: `/projects/${encodeURIComponent(projectId)}/milestones/readiness`,
        organizationId,
        params: { milestone },
      }),
    }),
  }),
});

export const { useGetReleaseReadinessQuery, useListMilestonesQuery } = releasesApi;
