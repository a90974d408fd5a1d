import type {
  CreateSsoConnectionInput,
  SsoConnectionDto,
  SsoDomainDto,
  SsoEnforcementDto,
  UpdateSsoConnectionInput,
  VerifySsoDomainResult,
} from "@devflow/contracts";
import type { OrganizationScoped } from "./api";
import { api } from "./api";

const connectionList = { type: "SsoConnection" as const, id: "list" };
const domainList = { type: "SsoDomain" as const, id: "list" };
const enforcementTag = { type: "SsoConnection" as const, id: "enforcement" };

/** The organization's single sign-on settings: connections, verified domains and enforcement. */
const ssoApi = api.injectEndpoints({
  endpoints: (build) => ({
    listSsoConnections: build.query<SsoConnectionDto[], OrganizationScoped>({
      query: ({ organizationId }) => ({ url: "/sso/connections", organizationId }),
      providesTags: (data) => [
        connectionList,
        ...(data?.map((c) => ({ type: "SsoConnection" as const, id: c.id })) ?? []),
      ],
    }),
    createSsoConnection: build.mutation<SsoConnectionDto, OrganizationScoped & { input: CreateSsoConnectionInput }>({
      query: ({ organizationId, input }) => ({ url: "/sso/connections", method: "POST", organizationId, body: input }),
      invalidatesTags: [connectionList],
    }),
    updateSsoConnection: build.mutation<
      SsoConnectionDto,
      OrganizationScoped & { connectionId: string; input: UpdateSsoConnectionInput }
    >({
      query: ({ organizationId, connectionId, input }) => ({
        url: `/sso/connections/${connectionId}`,
        method: "PATCH",
        organizationId,
        body: input,
      }),
      invalidatesTags: (_data, _error, { connectionId }) => [
        connectionList,
        { type: "SsoConnection", id: connectionId },
      ],
    }),
    deleteSsoConnection: build.mutation<void, OrganizationScoped & { connectionId: string }>({
      query: ({ organizationId, connectionId }) => ({
        url: `/sso/connections/${connectionId}`,
        method: "DELETE",
        organizationId,
      }),
      invalidatesTags: (_data, _error, { connectionId }) => [
        connectionList,
        { type: "SsoConnection", id: connectionId },
      ],
    }),

    listSsoDomains: build.query<SsoDomainDto[], OrganizationScoped>({
      query: ({ organizationId }) => ({ url: "/sso/domains", organizationId }),
      providesTags: (data) => [domainList, ...(data?.map((d) => ({ type: "SsoDomain" as const, id: d.id })) ?? [])],
    }),
    addSsoDomain: build.mutation<SsoDomainDto, OrganizationScoped & { domain: string }>({
      query: ({ organizationId, domain }) => ({
        url: "/sso/domains",
        method: "POST",
        organizationId,
        body: { domain },
      }),
      invalidatesTags: [domainList],
    }),
    verifySsoDomain: build.mutation<VerifySsoDomainResult, OrganizationScoped & { domainId: string }>({
      query: ({ organizationId, domainId }) => ({
        url: `/sso/domains/${domainId}/verify`,
        method: "POST",
        organizationId,
      }),
      invalidatesTags: (result, _error, { domainId }) =>
        result?.verified ? [domainList, { type: "SsoDomain", id: domainId }] : [],
    }),
    removeSsoDomain: build.mutation<void, OrganizationScoped & { domainId: string }>({
      query: ({ organizationId, domainId }) => ({ url: `/sso/domains/${domainId}`, method: "DELETE", organizationId }),
      invalidatesTags: (_data, _error, { domainId }) => [domainList, { type: "SsoDomain", id: domainId }],
    }),

    getSsoEnforcement: build.query<SsoEnforcementDto, OrganizationScoped>({
      query: ({ organizationId }) => ({ url: "/sso/enforcement", organizationId }),
      providesTags: [enforcementTag],
    }),
    setSsoEnforcement: build.mutation<SsoEnforcementDto, OrganizationScoped & { enforced: boolean }>({
      query: ({ organizationId, enforced }) => ({
        url: "/sso/enforcement",
        method: "PUT",
        organizationId,
        body: { enforced },
      }),
      invalidatesTags: [enforcementTag],
    }),
  }),
});

export const {
  useAddSsoDomainMutation,
  useCreateSsoConnectionMutation,
  useDeleteSsoConnectionMutation,
  useGetSsoEnforcementQuery,
  useListSsoConnectionsQuery,
  useListSsoDomainsQuery,
  useRemoveSsoDomainMutation,
  useSetSsoEnforcementMutation,
  useUpdateSsoConnectionMutation,
  useVerifySsoDomainMutation,
} = ssoApi;
