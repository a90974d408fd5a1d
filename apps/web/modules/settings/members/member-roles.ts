import { MEMBER_ROLES, type MemberRole } from "@devflow/contracts";

/** What each role may do, in the words the members page uses. */
export const ROLE_DESCRIPTIONS: Record<MemberRole, string> = {
  owner: "Owner — everything, including transferring ownership",
  admin: "Admin — manages members, settings and projects",
  member: "Member — writes documents and creates projects",
  viewer: "Viewer — reads everything, changes nothing",
};

const RANK: Record<MemberRole, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** Whether the role may manage members at all (the policy's "members:manage"). */
export function isMemberManager(role: MemberRole): boolean {
  return role === "owner" || role === "admin";
}

/** The roles `actor` may give someone: never above their own; none for members and viewers. */
export function grantableRoles(actor: MemberRole): MemberRole[] {
  if (!isMemberManager(actor)) return [];
  return MEMBER_ROLES.filter((role) => RANK[role] <= RANK[actor]);
}

/** Whether `actor` may change or remove someone with `target`'s role: only owners act on owners. */
export function canManageMember(actor: MemberRole, target: MemberRole): boolean {
  return isMemberManager(actor) && (target !== "owner" || actor === "owner");
}
