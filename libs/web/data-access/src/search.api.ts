import type { SearchResponseDto } from "@devflow/contracts";
import { api, type OrganizationScoped } from "./api";

export interface SearchArgs extends OrganizationScoped {
  /** The query, trimmed; callers skip the request while it is empty. */
  q: string;
  limit?: number;
  projectId?: string;
}

/** Workspace search (the Cmd/Ctrl+K box): documents and their matching passages. */
const searchApi = api.injectEndpoints({
  endpoints: (build) => ({
    search: build.query<SearchResponseDto, SearchArgs>({
      query: ({ organizationId, q, limit, projectId }) => ({
        url: "/search",
        organizationId,
        params: { q, limit, projectId },
      }),
      // The index trails edits by a few seconds; a search kept longer would hide new matches.
      keepUnusedDataFor: 15,
    }),
  }),
});

export const { useSearchQuery } = searchApi;
