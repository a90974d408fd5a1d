import type { MemberRole } from "@devflow/contracts";

/** Who is acting, inside one organization. */
export interface Actor {
  userId: string;
  role: MemberRole;
}

/** Built once per request, socket event, job or tool call; passed to every service call. */
export interface RequestContext {
  organizationId: string;
  actor: Actor;
  requestId: string;
}
