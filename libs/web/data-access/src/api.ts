import type {
  CreateDocumentInput,
  CreateOrganizationInput,
  CreateProjectInput,
  DevSignInInput,
  DocumentDto,
  DocumentSummaryDto,
  MyOrganizationDto,
  Page,
  ProjectDto,
  SessionDto,
  UpdateDocumentInput,
  UpdateProjectInput,
} from "@devflow/contracts";
import { createApi } from "@reduxjs/toolkit/query/react";
import { createBaseQuery } from "./base-query";

/** Where the REST API lives, relative to the page's origin. */
export const API_BASE_URL = "/api/v1";

// Inputs are the contracts' *input* shapes: fields with defaults (kind, description) may be left out.
type Input<T> = { [K in keyof T]?: T[K] };

export interface OrganizationScoped {
  organizationId: string;
}

export interface ListProjectsArgs extends OrganizationScoped {
  archived?: boolean;
  limit?: number;
}

export interface ListDocumentsArgs extends OrganizationScoped {
  projectId: string;
  archived?: boolean;
  limit?: number;
}

/** A cursor string, or `null` for the first page. */
type Cursor = string | null;

const pageOptions = {
  initialPageParam: null as Cursor,
  getNextPageParam: (lastPage: Page<unknown>) => lastPage.nextCursor,
};

const documentListTag = (projectId: string) => ({ type: "Document" as const, id: `list:${projectId}` });

/**
 * The REST API as RTK Query endpoints. Cache entries are keyed by `organizationId` along with the
 * other arguments, so switching organizations never shows another organization's cached rows.
 */
export const api = createApi({
  reducerPath: "api",
  baseQuery: createBaseQuery({ baseUrl: API_BASE_URL }),
  // Settings endpoints live in their own files (injectEndpoints) and use the tags after "Document".
  tagTypes: [
    "Session",
    "Organization",
    "Project",
    "Document",
    "Member",
    "Invitation",
    "ApiToken",
    "AuditLog",
    "SsoConnection",
    "SsoDomain",
    "ProjectAccess",
    "Template",
    "WorkflowRun",
  ],
  // Colleagues change the same lists; coming back to the tab or the network shows their changes.
  refetchOnFocus: true,
  refetchOnReconnect: true,
  endpoints: (build) => ({
    getSession: build.query<SessionDto, void>({
      query: () => ({ url: "/session" }),
      providesTags: ["Session"],
    }),
    devSignIn: build.mutation<SessionDto, DevSignInInput>({
      query: (body) => ({ url: "/session/dev-sign-in", method: "POST", body }),
      invalidatesTags: ["Session", "Organization", "Project", "Document"],
    }),
    /** The caller leaves the page afterwards (a full load), which is what clears the cache. */
    signOut: build.mutation<void, void>({
      query: () => ({ url: "/session", method: "DELETE" }),
    }),
    switchOrganization: build.mutation<SessionDto, { organizationId: string }>({
      query: (body) => ({ url: "/session/organization", method: "PUT", body }),
      invalidatesTags: ["Session"],
    }),

    listOrganizations: build.query<Page<MyOrganizationDto>, void>({
      query: () => ({ url: "/organizations" }),
      providesTags: ["Organization"],
    }),
    createOrganization: build.mutation<MyOrganizationDto, CreateOrganizationInput>({
      query: (body) => ({ url: "/organizations", method: "POST", body }),
      invalidatesTags: ["Organization", "Session"],
    }),

    listProjects: build.infiniteQuery<Page<ProjectDto>, ListProjectsArgs, Cursor>({
      infiniteQueryOptions: pageOptions,
      query: ({ queryArg, pageParam }) => ({
        url: "/projects",
        organizationId: queryArg.organizationId,
        params: { cursor: pageParam, limit: queryArg.limit, archived: queryArg.archived },
      }),
      providesTags: (data) => [
        { type: "Project", id: "list" },
        ...(data?.pages.flatMap((page) => page.items.map((p) => ({ type: "Project" as const, id: p.id }))) ?? []),
      ],
    }),
    getProject: build.query<ProjectDto, OrganizationScoped & { projectId: string }>({
      query: ({ organizationId, projectId }) => ({ url: `/projects/${projectId}`, organizationId }),
      providesTags: (_data, _error, { projectId }) => [{ type: "Project", id: projectId }],
    }),
    createProject: build.mutation<ProjectDto, OrganizationScoped & { input: Input<CreateProjectInput> }>({
      query: ({ organizationId, input }) => ({ url: "/projects", method: "POST", organizationId, body: input }),
      invalidatesTags: [{ type: "Project", id: "list" }],
    }),
    updateProject: build.mutation<ProjectDto, OrganizationScoped & { projectId: string; input: UpdateProjectInput }>({
      query: ({ organizationId, projectId, input }) => ({
        url: `/projects/${projectId}`,
        method: "PATCH",
        organizationId,
        body: input,
      }),
      invalidatesTags: (_data, _error, { projectId }) => [
        { type: "Project", id: projectId },
        { type: "Project", id: "list" },
      ],
    }),
    deleteProject: build.mutation<void, OrganizationScoped & { projectId: string }>({
      query: ({ organizationId, projectId }) => ({ url: `/projects/${projectId}`, method: "DELETE", organizationId }),
      invalidatesTags: (_data, _error, { projectId }) => [
        { type: "Project", id: projectId },
        { type: "Project", id: "list" },
        documentListTag(projectId),
      ],
    }),

    listDocuments: build.infiniteQuery<Page<DocumentSummaryDto>, ListDocumentsArgs, Cursor>({
      infiniteQueryOptions: pageOptions,
      query: ({ queryArg, pageParam }) => ({
        url: `/projects/${queryArg.projectId}/documents`,
        organizationId: queryArg.organizationId,
        params: { cursor: pageParam, limit: queryArg.limit, archived: queryArg.archived },
      }),
      providesTags: (data, _error, { projectId }) => [
        documentListTag(projectId),
        ...(data?.pages.flatMap((page) => page.items.map((d) => ({ type: "Document" as const, id: d.id }))) ?? []),
      ],
    }),
    getDocument: build.query<DocumentDto, OrganizationScoped & { documentId: string }>({
      query: ({ organizationId, documentId }) => ({ url: `/documents/${documentId}`, organizationId }),
      providesTags: (_data, _error, { documentId }) => [{ type: "Document", id: documentId }],
    }),
    createDocument: build.mutation<
      DocumentDto,
      OrganizationScoped & { projectId: string; input: Input<CreateDocumentInput> & { title: string } }
    >({
      query: ({ organizationId, projectId, input }) => ({
        url: `/projects/${projectId}/documents`,
        method: "POST",
        organizationId,
        body: input,
      }),
      // The project's document count changes too.
      invalidatesTags: (_data, _error, { projectId }) => [
        documentListTag(projectId),
        { type: "Project", id: projectId },
      ],
    }),
    updateDocument: build.mutation<
      DocumentSummaryDto,
      OrganizationScoped & {
        documentId: string;
        /** The project the document is in now, whose list must refresh. */
        projectId: string;
        input: UpdateDocumentInput;
      }
    >({
      query: ({ organizationId, documentId, input }) => ({
        url: `/documents/${documentId}`,
        method: "PATCH",
        organizationId,
        body: input,
      }),
      invalidatesTags: (_data, _error, { documentId, projectId, input }) => [
        { type: "Document", id: documentId },
        documentListTag(projectId),
        { type: "Project", id: projectId },
        // A move changes two lists and two counts.
        ...(input.projectId && input.projectId !== projectId
          ? [documentListTag(input.projectId), { type: "Project" as const, id: input.projectId }]
          : []),
      ],
    }),
    deleteDocument: build.mutation<void, OrganizationScoped & { documentId: string; projectId: string }>({
      query: ({ organizationId, documentId }) => ({
        url: `/documents/${documentId}`,
        method: "DELETE",
        organizationId,
      }),
      invalidatesTags: (_data, _error, { documentId, projectId }) => [
        { type: "Document", id: documentId },
        documentListTag(projectId),
        { type: "Project", id: projectId },
      ],
    }),
  }),
});

export const {
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
} = api;
