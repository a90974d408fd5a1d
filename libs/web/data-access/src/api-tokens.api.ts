import type { ApiTokenDto, CreateApiTokenInput, CreatedApiTokenDto, Page } from "@devflow/contracts";
import type { OrganizationScoped } from "./api";
import { api } from "./api";

const tokenList = { type: "ApiToken" as const, id: "list" };

export interface ListApiTokensArgs extends OrganizationScoped {
  limit?: number;
}

/** The signed-in person's own API tokens in one organization. */
const apiTokensApi = api.injectEndpoints({
  endpoints: (build) => ({
    listApiTokens: build.infiniteQuery<Page<ApiTokenDto>, ListApiTokensArgs, string | null>({
      infiniteQueryOptions: { initialPageParam: null, getNextPageParam: (lastPage) => lastPage.nextCursor },
      query: ({ queryArg, pageParam }) => ({
        url: "/tokens",
        organizationId: queryArg.organizationId,
        params: { cursor: pageParam, limit: queryArg.limit },
      }),
      providesTags: [tokenList],
    }),
    /** The answer holds the token itself: keep it in component state only long enough to show it once. */
    createApiToken: build.mutation<
      CreatedApiTokenDto,
      OrganizationScoped & { input: Pick<CreateApiTokenInput, "name" | "scopes"> & { expiresInDays?: number | null } }
    >({
      query: ({ organizationId, input }) => ({ url: "/tokens", method: "POST", organizationId, body: input }),
      // The created token is not cached: the list is refetched, and lists never carry tokens.
      invalidatesTags: [tokenList],
    }),
    revokeApiToken: build.mutation<void, OrganizationScoped & { tokenId: string }>({
      query: ({ organizationId, tokenId }) => ({ url: `/tokens/${tokenId}`, method: "DELETE", organizationId }),
      invalidatesTags: [tokenList],
    }),
  }),
});

export const { useCreateApiTokenMutation, useListApiTokensInfiniteQuery, useRevokeApiTokenMutation } = apiTokensApi;
