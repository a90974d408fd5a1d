import type { MemberRole } from "@devflow/contracts";
import type { Actor } from "./context";

/**
 * Every action a role may be allowed. Named `<resource>:<verb>`; adding one without deciding
 * who may do it fails to compile (see ROLE_ALLOWS).
 */
export type Action =
  | "organization:read"
  | "organization:update"
  | "organization:delete"
  | "members:read"
  | "members:manage"
  | "project:read"
  | "project:create"
  | "project:update"
  | "project:delete"
  | "document:read"
  | "document:create"
  | "document:update"
  | "document:delete";

const READ: Action[] = ["organization:read", "members:read", "project:read", "document:read"];
const WRITE: Action[] = [...READ, "project:create", "project:update", "document:create", "document:update", "document:delete"];
const ADMIN: Action[] = [...WRITE, "organization:update", "members:manage", "project:delete"];

const ROLE_ALLOWS: Record<MemberRole, ReadonlySet<Action>> = {
  viewer: new Set(READ),
  member: new Set(WRITE),
  admin: new Set(ADMIN),
  owner: new Set<Action>([...ADMIN, "organization:delete"]),
};

/** The single permission policy: may `actor` perform `action`? */
export function can(actor: Actor, action: Action): boolean {
  return ROLE_ALLOWS[actor.role].has(action);
}
