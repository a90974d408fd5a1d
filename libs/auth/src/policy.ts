import type { MemberRole } from "@devflow/contracts";
import type { Actor, TokenScope } from "./context";

/**
 * Every action a role may be allowed. Named `<resource>:<verb>`; adding one without deciding
 * who may do it, and which token scope it needs, fails to compile (see ROLE_ALLOWS, SCOPE_OF).
 */
export type Action =
  | "organization:read"
  | "organization:update"
  | "organization:delete"
  | "organization:transfer"
  | "members:read"
  | "members:manage"
  | "project:read"
  | "project:create"
  | "project:update"
  | "project:delete"
  | "project:manage_access"
  | "document:read"
  | "document:create"
  | "document:update"
  | "document:delete"
  | "comment:create"
  | "comment:moderate"
  | "sso:manage"
  | "audit:read"
  /** Connecting GitHub, Slack, Jira and Linear, and their secrets. */
  | "integrations:manage"
  | "api_token:manage_own"
  /*
   * AI activity (the log of model calls) and the agent ledger (tools agents ran) share one rule:
   * `ai_activity:read` is the organization-wide view, for admins and owners — usage, cost and what
   * agents did are the organization's business, like the audit log. Everyone else has
   * `ai_activity:read_own`: their own calls, plus the activity of projects they can see (so a team
   * can review what agents did in its project). Private projects stay private either way: a row
   * tied to a project the reader cannot see is never shown to them, their own included.
   */
  | "ai_activity:read"
  | "ai_activity:read_own";

/**
 * Reading a document includes commenting on it (the "commenter" of Google Docs and Notion): a
 * viewer reviews a design doc without being able to change it.
 */
const READ: Action[] = [
  "organization:read",
  "members:read",
  "project:read",
  "document:read",
  "comment:create",
  "api_token:manage_own",
  "ai_activity:read_own",
];
const WRITE: Action[] = [
  ...READ,
  "project:create",
  "project:update",
  "document:create",
  "document:update",
  "document:delete",
];
const ADMIN: Action[] = [
  ...WRITE,
  "organization:update",
  "members:manage",
  "project:delete",
  "project:manage_access",
  "comment:moderate",
  "sso:manage",
  "audit:read",
  "integrations:manage",
  "ai_activity:read",
];

const ROLE_ALLOWS: Record<MemberRole, ReadonlySet<Action>> = {
  viewer: new Set(READ),
  member: new Set(WRITE),
  admin: new Set(ADMIN),
  owner: new Set<Action>([...ADMIN, "organization:delete", "organization:transfer"]),
};

/** The token scope an action needs. Managing tokens is never done with a token. */
const SCOPE_OF: Record<Action, TokenScope | "never"> = {
  "organization:read": "read",
  "members:read": "read",
  "project:read": "read",
  "document:read": "read",
  "project:create": "write",
  "project:update": "write",
  "document:create": "write",
  "document:update": "write",
  "document:delete": "write",
  // A comment is a write even for a viewer's session; their read-only tokens cannot post one.
  "comment:create": "write",
  "organization:update": "admin",
  "comment:moderate": "admin",
  "members:manage": "admin",
  "project:delete": "admin",
  "project:manage_access": "admin",
  "sso:manage": "admin",
  "audit:read": "admin",
  "integrations:manage": "admin",
  "ai_activity:read": "admin",
  "ai_activity:read_own": "read",
  "organization:delete": "never",
  "organization:transfer": "never",
  "api_token:manage_own": "never",
};

const SCOPE_IMPLIES: Record<TokenScope, readonly TokenScope[]> = {
  read: ["read"],
  write: ["read", "write"],
  admin: ["read", "write", "admin"],
};

/** What an action is done to, when the answer depends on it. */
export type Resource =
  /** A project: private ones are open only to their members (directly or through a group) and to admins. */
  | { kind: "project"; visibility: "organization" | "private"; actorIsMember: boolean }
  /** Another member: nobody but an owner may act on an owner. */
  | { kind: "member"; role: MemberRole };

/**
 * The single permission policy: may `actor` perform `action` (on `resource`)? The role decides what a
 * person may do; a token's scopes narrow it; the resource narrows it further.
 */
export function can(actor: Actor, action: Action, resource?: Resource): boolean {
  if (!ROLE_ALLOWS[actor.role].has(action)) return false;
  const via = actor.via;
  if (via?.kind === "scim") return false;
  if (via?.kind === "api_token") {
    const needed = SCOPE_OF[action];
    if (needed === "never") return false;
    if (!via.scopes.some((scope) => SCOPE_IMPLIES[scope].includes(needed))) return false;
  }
  if (resource?.kind === "project" && resource.visibility === "private") {
    return resource.actorIsMember || actor.role === "admin" || actor.role === "owner";
  }
  if (resource?.kind === "member" && resource.role === "owner") return actor.role === "owner";
  return true;
}

/** The token scopes a role may grant; a viewer's token can only read. */
export function scopesAllowedFor(role: MemberRole): readonly TokenScope[] {
  if (role === "viewer") return ["read"];
  if (role === "member") return ["read", "write"];
  return ["read", "write", "admin"];
}
