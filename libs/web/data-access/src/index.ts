export {
  API_BASE_URL,
  api,
  useCreateDocumentMutation,
  useCreateOrganizationMutation,
  useCreateProjectMutation,
  useDeleteDocumentMutation,
  useDeleteProjectMutation,
  useDevSignInMutation,
  useGetDocumentQuery,
  useGetProjectQuery,
  useGetSessionQuery,
  useListDocumentsInfiniteQuery,
  useListOrganizationsQuery,
  useListProjectsInfiniteQuery,
  useSignOutMutation,
  useSwitchOrganizationMutation,
  useUpdateDocumentMutation,
  useUpdateProjectMutation,
} from "./api";
export type { ListDocumentsArgs, ListProjectsArgs, OrganizationScoped } from "./api";
export { errorMessage, fieldIssues, isApiError } from "./api-error";
export type { ApiError, FieldIssue } from "./api-error";
export { ORGANIZATION_HEADER, createBaseQuery, toApiError } from "./base-query";
export type { ApiBaseQuery, ApiRequest, BaseQueryOptions } from "./base-query";
export { useAppDispatch, useAppSelector, useAppStore } from "./hooks";
export { StoreProvider } from "./StoreProvider";
export { makeStore } from "./store";
export type { AppDispatch, AppStore, RootState } from "./store";
export { useDiscoverSignInMutation } from "./sign-in.api";
export {
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
} from "./sso.api";
export { useCreateApiTokenMutation, useListApiTokensInfiniteQuery, useRevokeApiTokenMutation } from "./api-tokens.api";
export type { ListApiTokensArgs } from "./api-tokens.api";
export { fetchAuditLogExport, useListAuditLogInfiniteQuery } from "./audit.api";
export type { AuditLogExport, AuditLogFilterArgs, ListAuditLogArgs } from "./audit.api";
export {
  useAcceptInvitationMutation,
  useChangeMemberRoleMutation,
  useCreateInvitationMutation,
  useListInvitationsQuery,
  useListMembersInfiniteQuery,
  useRemoveMemberMutation,
  useRenameOrganizationMutation,
  useRevokeInvitationMutation,
  useTransferOwnershipMutation,
} from "./members.api";
export type { ListMembersArgs } from "./members.api";
export {
  useGetProjectAccessQuery,
  useListGroupsInfiniteQuery,
  useSetProjectAccessMutation,
} from "./project-access.api";
export type { ListGroupsArgs } from "./project-access.api";
export { useCreateScimTokenMutation, useListScimTokensQuery, useRevokeScimTokenMutation } from "./scim.api";
export { CollabSession } from "./collab/collab-session";
export type {
  CollabSessionError,
  CollabSessionEvents,
  CollabSessionOptions,
  CollabSessionState,
  CollabStatus,
  CollabTimers,
  RestoreResult,
  SyncState,
} from "./collab/collab-session-types";
export type { RemotePresence } from "./collab/remote-presences";
export { CommentsClient } from "./collab/comments-client";
export type {
  CommentsClientOptions,
  CommentsState,
  CommentsStatus,
  CommentWriteResult,
  ReadSelection,
} from "./collab/comments-client";
export { createCollabSocket } from "./collab/collab-socket";
export type { CollabSocket, CollabSocketOptions, ConnectErrorData } from "./collab/collab-socket";
export { createTokenSource, fetchServiceToken } from "./collab/service-token";
export type { TokenSource, TokenSourceOptions } from "./collab/service-token";
export { useCreateTemplateMutation, useDeleteTemplateMutation, useListTemplatesQuery } from "./templates.api";
export {
  invalidateDocumentTimeline,
  useCreateRevisionMutation,
  useDeleteRevisionMutation,
  useGetDocumentDiffQuery,
  useGetDocumentVersionQuery,
  useListRevisionsQuery,
  useListTimelineInfiniteQuery,
} from "./history.api";
export type { DocumentScoped, ListTimelineArgs } from "./history.api";
export { useSearchQuery } from "./search.api";
export type { SearchArgs } from "./search.api";
export {
  useGetAgentExecutionQuery,
  useGetAiActivitySummaryQuery,
  useListAgentExecutionsInfiniteQuery,
  useListAiActivityInfiniteQuery,
} from "./ai-activity.api";
export type {
  AgentExecutionFilterArgs,
  AiActivityFilterArgs,
  AiActivitySummaryArgs,
  GetAgentExecutionArgs,
  ListAgentExecutionsArgs,
  ListAiActivityArgs,
} from "./ai-activity.api";
export { useAttributeIncidentMutation, useGetDoraMetricsQuery } from "./dora.api";
export type { AttributeIncidentArgs, GetDoraMetricsArgs } from "./dora.api";
export { useGetWorkflowRunQuery, useListWorkflowRunsInfiniteQuery, useRetryWorkflowRunMutation } from "./workflows.api";
export type { ListWorkflowRunsArgs, WorkflowRunArgs } from "./workflows.api";
export { useLinkRepositoryMutation, useListRepositoriesInfiniteQuery } from "./repositories.api";
export { useGetQualityGatesQuery, useSetQualityGatesMutation } from "./repositories.api";
export type { QualityGatesArgs, SetQualityGatesArgs } from "./repositories.api";
export {
  useCreateDocumentIssueMutation,
  useListDocumentIssuesQuery,
  useListIssueTrackersQuery,
} from "./document-issues.api";
export { useGetReleaseReadinessQuery, useListMilestonesQuery } from "./releases.api";
export { useListProjectIssuesInfiniteQuery } from "./project-issues.api";
export { useTriagePassageQuery } from "./triage.api";
