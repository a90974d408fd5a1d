import type { MemberRole, SsoRole } from "@devflow/contracts";

const RANK: Record<MemberRole, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/**
 * The role the IdP's groups grant through `groupRoleMap`: the highest of the mapped roles, or null
 * when none of the groups is mapped. Owner is never returned, even from a map edited by hand.
 */
export function roleFromGroups(groups: readonly string[], groupRoleMap: Record<string, SsoRole>): SsoRole | null {
  let best: SsoRole | null = null;
  for (const group of groups) {
    const role = Object.hasOwn(groupRoleMap, group) ? groupRoleMap[group] : undefined;
    if (!role || (role as MemberRole) === "owner") continue;
    if (best === null || RANK[role] > RANK[best]) best = role;
  }
  return best;
}
