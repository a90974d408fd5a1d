import type { MemberRole } from "@devflow/contracts";

/** What an API token may do, at most; never more than its owner's role allows. */
export type TokenScope = "read" | "write" | "admin";
export const TOKEN_SCOPES: readonly TokenScope[] = ["read", "write", "admin"];

/** Who is acting, inside one organization. */
export interface Actor {
  userId: string;
  role: MemberRole;
  /**
   * How the actor authenticated. A browser session acts with the full role; an API token only within
   * its scopes; SCIM only on users and groups. Absent means a session.
   */
  via?: { kind: "session" } | { kind: "api_token"; tokenId: string; scopes: readonly TokenScope[] } | { kind: "scim" };
}

/** Built once per request, socket event, job or tool call; passed to every service call. */
export interface RequestContext {
  organizationId: string;
  actor: Actor;
  requestId: string;
  /** The caller's IP address, for the audit log; absent for jobs. */
  ipAddress?: string | null;
}
