import type { CreatedScimTokenDto, CreateScimTokenInput, ScimTokenList } from "@devflow/contracts";
import type { OrganizationScoped } from "./api";
import { api } from "./api";

const scimTokenList = { type: "ApiToken" as const, id: "scim-list" };

/** The organization's SCIM tokens, for the provisioning settings (admins only). */
const scimApi = api.injectEndpoints({
  endpoints: (build) => ({
    listScimTokens: build.query<ScimTokenList, OrganizationScoped>({
      query: ({ organizationId }) => ({ url: "/scim-tokens", organizationId }),
      providesTags: [scimTokenList],
    }),
    /** The answer holds the token itself: keep it in component state only long enough to show it once. */
    createScimToken: build.mutation<CreatedScimTokenDto, OrganizationScoped & { input: CreateScimTokenInput }>({
      query: ({ organizationId, input }) => ({ url: "/scim-tokens", method: "POST", organizationId, body: input }),
      // The created token is not cached: the list is refetched, and lists never carry tokens.
      invalidatesTags: [scimTokenList],
    }),
    revokeScimToken: build.mutation<void, OrganizationScoped & { tokenId: string }>({
      query: ({ organizationId, tokenId }) => ({ url: `/scim-tokens/${tokenId}`, method: "DELETE", organizationId }),
      invalidatesTags: [scimTokenList],
    }),
  }),
});

export const { useCreateScimTokenMutation, useListScimTokensQuery, useRevokeScimTokenMutation } = scimApi;
