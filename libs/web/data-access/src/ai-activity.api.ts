import type {
  AgentExecutionDto,
  AgentExecutionStatus,
  AgentExecutionSummaryDto,
  AiActivityDto,
  AiActivitySummaryDto,
  AiCallStatus,
  AiSurface,
  Page,
} from "@devflow/contracts";
import { api, type OrganizationScoped } from "./api";

/** The AI activity filters as a page holds them; empty strings and undefined mean "any". */
export interface AiActivityFilterArgs {
  projectId?: string;
  surface?: AiSurface | "";
  model?: string;
  status?: AiCallStatus | "";
  userId?: string;
  /** A day (YYYY-MM-DD): inclusive. */
  from?: string;
  /** A day (YYYY-MM-DD): exclusive. */
  to?: string;
}

export interface ListAiActivityArgs extends OrganizationScoped, AiActivityFilterArgs {
  limit?: number;
}

export type AiActivitySummaryArgs = OrganizationScoped & AiActivityFilterArgs;

export interface AgentExecutionFilterArgs {
  projectId?: string;
  agent?: string;
  tool?: string;
  status?: AgentExecutionStatus | "";
  userId?: string;
  from?: string;
  to?: string;
}

export interface ListAgentExecutionsArgs extends OrganizationScoped, AgentExecutionFilterArgs {
  limit?: number;
}

export interface GetAgentExecutionArgs extends OrganizationScoped {
  executionId: string;
}

/** Drops empty values so the query string carries only real filters. */
function present(params: Record<string, string | number | undefined>) {
  return Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined && value !== ""));
}

const pageOptions = {
  initialPageParam: null as string | null,
  getNextPageParam: (lastPage: Page<unknown>) => lastPage.nextCursor,
};

/**
 * AI activity (model calls, their per-day summary) and the agent ledger (tool runs). Read-only and
 * recorded by other services as they work, so nothing here is invalidated by a mutation; focus and
 * reconnect refetch (set on the api) keep an open page current.
 */
const aiActivityApi = api.injectEndpoints({
  endpoints: (build) => ({
    listAiActivity: build.infiniteQuery<Page<AiActivityDto>, ListAiActivityArgs, string | null>({
      infiniteQueryOptions: pageOptions,
      query: ({ queryArg: { organizationId, ...filters }, pageParam }) => ({
        url: "/ai-activity",
        organizationId,
        params: present({ ...filters, cursor: pageParam ?? undefined }),
      }),
    }),
    getAiActivitySummary: build.query<AiActivitySummaryDto, AiActivitySummaryArgs>({
      query: ({ organizationId, ...filters }) => ({
        url: "/ai-activity/summary",
        organizationId,
        params: present({ ...filters }),
      }),
    }),
    listAgentExecutions: build.infiniteQuery<Page<AgentExecutionSummaryDto>, ListAgentExecutionsArgs, string | null>({
      infiniteQueryOptions: pageOptions,
      query: ({ queryArg: { organizationId, ...filters }, pageParam }) => ({
        url: "/agent-executions",
        organizationId,
        params: present({ ...filters, cursor: pageParam ?? undefined }),
      }),
    }),
    getAgentExecution: build.query<AgentExecutionDto, GetAgentExecutionArgs>({
      query: ({ organizationId, executionId }) => ({
        url: `/agent-executions/${encodeURIComponent(executionId)}`,
        organizationId,
      }),
    }),
  }),
});

export const {
  useGetAgentExecutionQuery,
  useGetAiActivitySummaryQuery,
  useListAgentExecutionsInfiniteQuery,
  useListAiActivityInfiniteQuery,
} = aiActivityApi;
