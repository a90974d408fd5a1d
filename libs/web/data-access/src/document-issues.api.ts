import type {
  CreateIssueFromPassageInput,
  CreatedIssueDto,
  DocumentIssueLinkDto,
  IssueTrackersDto,
} from "@devflow/contracts";
import { api, type OrganizationScoped } from "./api";
import type { DocumentScoped } from "./history.api";

export interface CreateDocumentIssueArgs extends DocumentScoped {
  input: CreateIssueFromPassageInput;
}

const path = (documentId: string) => `/documents/${encodeURIComponent(documentId)}/issues`;
// One entry per document, so filing an issue refreshes that document's list and no other.
const issuesTag = (documentId: string) => ({ type: "Document" as const, id: `issues:${documentId}` });

/** Issues filed in GitHub, Jira or Linear from a passage of a document, and the trackers to file them in. */
const documentIssuesApi = api.injectEndpoints({
  endpoints: (build) => ({
    listDocumentIssues: build.query<{ items: DocumentIssueLinkDto[] }, DocumentScoped>({
      query: ({ organizationId, documentId }) => ({ url: path(documentId), organizationId }),
      providesTags: (_result, _error, { documentId }) => [issuesTag(documentId)],
    }),
    createDocumentIssue: build.mutation<CreatedIssueDto, CreateDocumentIssueArgs>({
      query: ({ organizationId, documentId, input }) => ({
        url: path(documentId),
        method: "POST",
        body: input,
        organizationId,
      }),
      invalidatesTags: (_result, _error, { documentId }) => [issuesTag(documentId)],
    }),
    /** The trackers issues can be filed in, for any member. */
    listIssueTrackers: build.query<IssueTrackersDto, OrganizationScoped>({
      query: ({ organizationId }) => ({ url: "/issue-trackers", organizationId }),
    }),
  }),
});

export const { useCreateDocumentIssueMutation, useListDocumentIssuesQuery, useListIssueTrackersQuery } =
  documentIssuesApi;
