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
