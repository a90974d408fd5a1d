import {
  ErrorEnvelopeSchema,
  type AuditActionName,
  type AuditExportFormat,
  type AuditLogEntryDto,
  type Page,
} from "@devflow/contracts";
import type { OrganizationScoped } from "./api";
import { API_BASE_URL, api } from "./api";
import type { ApiError } from "./api-error";
import { ORGANIZATION_HEADER } from "./base-query";

/** The audit log's filters as the page holds them; empty strings mean "any". */
export interface AuditLogFilterArgs {
  action?: AuditActionName | "";
  actorUserId?: string;
  /** A day (YYYY-MM-DD) or an ISO time; inclusive. */
  from?: string;
  /** A day (YYYY-MM-DD) or an ISO time; exclusive. */
  to?: string;
}

export interface ListAuditLogArgs extends OrganizationScoped, AuditLogFilterArgs {
  limit?: number;
}

function filterParams({ action, actorUserId, from, to }: AuditLogFilterArgs) {
  return {
    action: action || undefined,
    actorUserId: actorUserId || undefined,
    from: from || undefined,
    to: to || undefined,
  };
}

/** The organization's audit log, newest first, for admins. */
const auditApi = api.injectEndpoints({
  endpoints: (build) => ({
    listAuditLog: build.infiniteQuery<Page<AuditLogEntryDto>, ListAuditLogArgs, string | null>({
      infiniteQueryOptions: { initialPageParam: null, getNextPageParam: (lastPage) => lastPage.nextCursor },
      query: ({ queryArg, pageParam }) => ({
        url: "/audit-log",
        organizationId: queryArg.organizationId,
        params: { cursor: pageParam, limit: queryArg.limit, ...filterParams(queryArg) },
      }),
      providesTags: [{ type: "AuditLog", id: "list" }],
    }),
  }),
});

export const { useListAuditLogInfiniteQuery } = auditApi;

export interface AuditLogExport {
  blob: Blob;
  filename: string;
}

/**
 * Downloads the filtered log as CSV or JSON. A plain fetch rather than an endpoint: a file does not
 * belong in the Redux cache, and a link could not send the organization header. Rejects with an
 * `ApiError`, like the hooks.
 */
export async function fetchAuditLogExport(
  args: OrganizationScoped & AuditLogFilterArgs & { format: AuditExportFormat },
  fetchFn: typeof fetch = fetch,
): Promise<AuditLogExport> {
  const params = new URLSearchParams({ format: args.format });
  for (const [key, value] of Object.entries(filterParams(args))) if (value) params.set(key, value);
  let response: Response;
  try {
    response = await fetchFn(`${API_BASE_URL}/audit-log/export?${params}`, {
      credentials: "same-origin",
      headers: { [ORGANIZATION_HEADER]: args.organizationId },
    });
  } catch {
    throw {
      status: 0,
      code: "unavailable",
      message: "Could not reach DevFlow. Check your connection and try again.",
    } satisfies ApiError;
  }
  if (!response.ok) {
    const envelope = ErrorEnvelopeSchema.safeParse(await response.json().catch(() => null));
    throw (
      envelope.success
        ? { status: response.status, ...envelope.data.error }
        : { status: response.status, code: "internal", message: `The export failed (${response.status}).` }
    ) satisfies ApiError;
  }
  const disposition = response.headers.get("content-disposition") ?? "";
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `audit-log.${args.format}`;
  return { blob: await response.blob(), filename };
}
