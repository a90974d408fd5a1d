import type { Database } from "@devflow/db";
import { createScimGroups } from "./scim-groups";
import { createScimUsers } from "./scim-users";

export type ScimService = ReturnType<typeof createScimService>;

export interface ScimServiceOptions {
  /** Absolute base of the SCIM API (`${PUBLIC_URL}/scim/v2`), for `meta.location` and `$ref`. */
  baseUrl: string;
  /** The clock, for tests. */
  now?: () => Date;
}

/**
 * SCIM 2.0 provisioning (RFC 7643/7644) for one organization at a time: every call runs inside
 * withTenant for the organization of the SCIM token that authenticated it, and records a `scim`
 * actor in the audit log.
 */
export function createScimService(db: Database, { baseUrl, now = () => new Date() }: ScimServiceOptions) {
  const deps = { db, baseUrl: baseUrl.replace(/\/+$/, ""), now };
  return { users: createScimUsers(deps), groups: createScimGroups(deps) };
}
