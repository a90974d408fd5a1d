import type {
  CreateRevisionInput,
  DocumentDiffDto,
  DocumentVersionDto,
  Page,
  RevisionDto,
  TimelineEntryDto,
} from "@devflow/contracts";
import { api, type OrganizationScoped } from "./api";

export interface DocumentScoped extends OrganizationScoped {
  documentId: string;
}

export interface ListTimelineArgs extends DocumentScoped {
  limit?: number;
}

const path = (documentId: string) => `/documents/${encodeURIComponent(documentId)}`;
const timelineTag = (documentId: string) => ({ type: "Document" as const, id: `timeline:${documentId}` });
const revisionsTag = (documentId: string) => ({ type: "Document" as const, id: `revisions:${documentId}` });

/** A document's history: timeline, named versions, the text at a version and diffs. */
const historyApi = api.injectEndpoints({
  endpoints: (build) => ({
    listTimeline: build.infiniteQuery<Page<TimelineEntryDto>, ListTimelineArgs, string | null>({
      infiniteQueryOptions: { initialPageParam: null, getNextPageParam: (lastPage) => lastPage.nextCursor },
      query: ({ queryArg, pageParam }) => ({
        url: `${path(queryArg.documentId)}/timeline`,
        organizationId: queryArg.organizationId,
        params: { cursor: pageParam ?? undefined, limit: queryArg.limit },
      }),
      providesTags: (_result, _error, { documentId }) => [timelineTag(documentId)],
    }),
    listRevisions: build.query<{ items: RevisionDto[] }, DocumentScoped>({
      query: ({ organizationId, documentId }) => ({ url: `${path(documentId)}/revisions`, organizationId }),
      providesTags: (_result, _error, { documentId }) => [revisionsTag(documentId)],
    }),
    createRevision: build.mutation<RevisionDto, DocumentScoped & { input: CreateRevisionInput }>({
      query: ({ organizationId, documentId, input }) => ({
        url: `${path(documentId)}/revisions`,
        method: "POST",
        body: input,
        organizationId,
      }),
      invalidatesTags: (_result, _error, { documentId }) => [revisionsTag(documentId)],
    }),
    deleteRevision: build.mutation<void, DocumentScoped & { revisionId: string }>({
      query: ({ organizationId, documentId, revisionId }) => ({
        url: `${path(documentId)}/revisions/${encodeURIComponent(revisionId)}`,
        method: "DELETE",
        organizationId,
      }),
      invalidatesTags: (_result, _error, { documentId }) => [revisionsTag(documentId)],
    }),
    getDocumentVersion: build.query<DocumentVersionDto, DocumentScoped & { version: number }>({
      query: ({ organizationId, documentId, version }) => ({
        url: `${path(documentId)}/versions/${version}`,
        organizationId,
      }),
    }),
    getDocumentDiff: build.query<DocumentDiffDto, DocumentScoped & { from: number; to: number }>({
      query: ({ organizationId, documentId, from, to }) => ({
        url: `${path(documentId)}/diff`,
        organizationId,
        params: { from, to },
      }),
    }),
  }),
});

/** Marks a document's timeline stale, e.g. after its text changed live. */
export const invalidateDocumentTimeline = (documentId: string) =>
  historyApi.util.invalidateTags([timelineTag(documentId)]);

export const {
  useCreateRevisionMutation,
  useDeleteRevisionMutation,
  useGetDocumentDiffQuery,
  useGetDocumentVersionQuery,
  useListRevisionsQuery,
  useListTimelineInfiniteQuery,
} = historyApi;
