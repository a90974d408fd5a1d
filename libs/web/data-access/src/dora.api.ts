import type { AttributeIncidentInput, DoraMetricsDto, IncidentDto } from "@devflow/contracts";
import { api, type OrganizationScoped } from "./api";

export interface GetDoraMetricsArgs extends OrganizationScoped {
  projectId: string;
  /** A day (YYYY-MM-DD): inclusive. */
  from: string;
  /** A day (YYYY-MM-DD): exclusive. */
  to: string;
  /** Defaults to production on the server. */
  environment?: string;
}

export interface AttributeIncidentArgs extends OrganizationScoped {
  incidentId: string;
  input: AttributeIncidentInput;
}

// The tag is added here rather than in api.ts's list: DORA is the only user of it.
const doraApi = api.enhanceEndpoints({ addTagTypes: ["DoraMetrics"] }).injectEndpoints({
  endpoints: (build) => ({
    getDoraMetrics: build.query<DoraMetricsDto, GetDoraMetricsArgs>({
      query: ({ organizationId, projectId, ...window }) => ({
        url: `/projects/${encodeURIComponent(projectId)}/dora`,
        organizationId,
        params: { ...window },
      }),
      providesTags: (_data, _error, { projectId }) => [{ type: "DoraMetrics", id: projectId }],
    }),
    /** An incident may count for any project's metrics, so every cached window is read again. */
    attributeIncident: build.mutation<IncidentDto, AttributeIncidentArgs>({
      query: ({ organizationId, incidentId, input }) => ({
        url: `/incidents/${encodeURIComponent(incidentId)}/attribution`,
        method: "PUT",
        organizationId,
        body: input,
      }),
      invalidatesTags: ["DoraMetrics"],
    }),
  }),
});

export const { useAttributeIncidentMutation, useGetDoraMetricsQuery } = doraApi;
