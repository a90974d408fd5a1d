import type { TriagePassageInput, TriageSuggestionDto } from "@devflow/contracts";
import { api, type OrganizationScoped } from "./api";

export interface TriagePassageArgs extends OrganizationScoped, TriagePassageInput {}

/**
 * Triage of a passage before it is filed: suggested priority, labels, component and likely
 * duplicates. A POST because the passage can be long, but a query: it stores nothing, so the same
 * text and repository give the same answer from the cache.
 */
const triageApi = api.injectEndpoints({
  endpoints: (build) => ({
    triagePassage: build.query<TriageSuggestionDto, TriagePassageArgs>({
      query: ({ organizationId, text, repositoryId }) => ({
        url: "/triage",
        method: "POST",
        organizationId,
        body: { text, repositoryId },
      }),
      // Issues arrive from webhooks meanwhile; an answer kept longer could miss a fresh duplicate.
      keepUnusedDataFor: 60,
    }),
  }),
});

export const { useTriagePassageQuery } = triageApi;
