import type {
  CreateInvitationInput,
  InvitationDto,
  MemberDto,
  MemberRole,
  MyOrganizationDto,
  Page,
  UpdateOrganizationInput,
} from "@devflow/contracts";
import type { OrganizationScoped } from "./api";
import { api } from "./api";

const memberList = { type: "Member" as const, id: "list" };
const invitationList = { type: "Invitation" as const, id: "list" };

export interface ListMembersArgs extends OrganizationScoped {
  limit?: number;
}

/** The organization's members and invitations, and the organization-wide settings next to them. */
const membersApi = api.injectEndpoints({
  endpoints: (build) => ({
    listMembers: build.infiniteQuery<Page<MemberDto>, ListMembersArgs, string | null>({
      infiniteQueryOptions: { initialPageParam: null, getNextPageParam: (lastPage) => lastPage.nextCursor },
      query: ({ queryArg, pageParam }) => ({
        url: "/members",
        organizationId: queryArg.organizationId,
        params: { cursor: pageParam, limit: queryArg.limit },
      }),
      providesTags: [memberList],
    }),
    changeMemberRole: build.mutation<MemberDto, OrganizationScoped & { userId: string; role: MemberRole }>({
      query: ({ organizationId, userId, role }) => ({
        url: `/members/${userId}`,
        method: "PATCH",
        organizationId,
        body: { role },
      }),
      // The caller's own role may be the one that changed; the session carries it.
      invalidatesTags: [memberList, "Session", "Organization"],
    }),
    removeMember: build.mutation<void, OrganizationScoped & { userId: string }>({
      query: ({ organizationId, userId }) => ({ url: `/members/${userId}`, method: "DELETE", organizationId }),
      invalidatesTags: [memberList, "Session", "Organization"],
    }),
    transferOwnership: build.mutation<void, OrganizationScoped & { userId: string }>({
      query: ({ organizationId, userId }) => ({
        url: "/organization/transfer-ownership",
        method: "POST",
        organizationId,
        body: { userId },
      }),
      invalidatesTags: [memberList, "Session", "Organization"],
    }),
    renameOrganization: build.mutation<MyOrganizationDto, OrganizationScoped & { input: UpdateOrganizationInput }>({
      query: ({ organizationId, input }) => ({ url: "/organization", method: "PATCH", organizationId, body: input }),
      invalidatesTags: ["Session", "Organization"],
    }),

    listInvitations: build.query<Page<InvitationDto>, OrganizationScoped>({
      query: ({ organizationId }) => ({ url: "/invitations", organizationId }),
      providesTags: [invitationList],
    }),
    createInvitation: build.mutation<
      InvitationDto,
      OrganizationScoped & { input: Pick<CreateInvitationInput, "email"> & Partial<CreateInvitationInput> }
    >({
      query: ({ organizationId, input }) => ({ url: "/invitations", method: "POST", organizationId, body: input }),
      invalidatesTags: [invitationList],
    }),
    revokeInvitation: build.mutation<void, OrganizationScoped & { invitationId: string }>({
      query: ({ organizationId, invitationId }) => ({
        url: `/invitations/${invitationId}`,
        method: "DELETE",
        organizationId,
      }),
      invalidatesTags: [invitationList],
    }),
    /** Not organization-scoped: the invitee is not a member until this succeeds. */
    acceptInvitation: build.mutation<MyOrganizationDto, { token: string }>({
      query: (body) => ({ url: "/invitations/accept", method: "POST", body }),
      invalidatesTags: ["Session", "Organization", memberList],
    }),
  }),
});

export const {
  useAcceptInvitationMutation,
  useChangeMemberRoleMutation,
  useCreateInvitationMutation,
  useListInvitationsQuery,
  useListMembersInfiniteQuery,
  useRemoveMemberMutation,
  useRenameOrganizationMutation,
  useRevokeInvitationMutation,
  useTransferOwnershipMutation,
} = membersApi;
