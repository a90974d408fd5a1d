import type { ProjectVisibility } from "@devflow/contracts";

/** Who a project's access list lets see it, as far as the list goes (roles aside). */
export interface ProjectAudience {
  visibility: ProjectVisibility;
  /** People listed directly, in list order. */
  userIds: readonly string[];
  /** Members of the listed groups, in list order; repeats allowed. */
  groupMemberIds: readonly string[];
}

/**
 * The people a change to a project's access lets see it who could not before: listed on a private
 * project, directly or through a group, and not listed (either way) before. `before` is null for a
 * project being created. Nobody, unless the project is private afterwards and was private (or
 * new) before: everyone could already see an open project, and opening one up shares it with
 * nobody in particular. Never `sharedById`, who knows. Each person once, direct entries first.
 * Admins and owners see every project whatever the list says; the caller leaves them out.
 */
export function selectNewlySharedUserIds(
  before: ProjectAudience | null,
  after: ProjectAudience,
  sharedById: string,
): string[] {
  if (after.visibility !== "private" || (before && before.visibility !== "private")) return [];
  const hadAccess = new Set([...(before?.userIds ?? []), ...(before?.groupMemberIds ?? []), sharedById]);
  return [...new Set([...after.userIds, ...after.groupMemberIds])].filter((userId) => !hadAccess.has(userId));
}
