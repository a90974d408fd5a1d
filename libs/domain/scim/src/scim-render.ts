import {
  SCIM_SCHEMA_GROUP,
  SCIM_SCHEMA_LIST_RESPONSE,
  SCIM_SCHEMA_USER,
  type ScimGroupResource,
  type ScimListResponse,
  type ScimUserResource,
} from "@devflow/contracts";
import type { ScimUserFields } from "./scim-patch";
import type { ScimGroupRow, ScimMemberRow } from "./scim.repository";

/** RFC 7643 §4.1 User, from a membership and its global identity. */
export function toUserResource(
  member: ScimMemberRow,
  groups: { id: string; name: string }[],
  baseUrl: string,
): ScimUserResource {
  const { givenName, familyName } = splitName(member.user.name);
  const lastModified = member.updatedAt > member.user.updatedAt ? member.updatedAt : member.user.updatedAt;
  return {
    schemas: [SCIM_SCHEMA_USER],
    id: member.user.id,
    ...(member.externalId !== null && { externalId: member.externalId }),
    userName: member.user.email,
    name: { formatted: member.user.name, givenName, familyName },
    displayName: member.user.name,
    emails: [{ value: member.user.email, primary: true, type: "work" }],
    active: member.status === "active",
    groups: groups.map((g) => ({ value: g.id, display: g.name, $ref: `${baseUrl}/Groups/${g.id}` })),
    meta: {
      resourceType: "User",
      created: member.createdAt.toISOString(),
      lastModified: lastModified.toISOString(),
      location: `${baseUrl}/Users/${member.user.id}`,
    },
  };
}

/** RFC 7643 §4.2 Group; `members` is left out when the caller excluded it (Entra ID does, for speed). */
export function toGroupResource(
  group: ScimGroupRow,
  members: { userId: string; display: string }[] | undefined,
  baseUrl: string,
): ScimGroupResource {
  return {
    schemas: [SCIM_SCHEMA_GROUP],
    id: group.id,
    ...(group.externalId !== null && { externalId: group.externalId }),
    displayName: group.name,
    ...(members && {
      members: members.map((m) => ({ value: m.userId, display: m.display, $ref: `${baseUrl}/Users/${m.userId}` })),
    }),
    meta: {
      resourceType: "Group",
      created: group.createdAt.toISOString(),
      lastModified: group.updatedAt.toISOString(),
      location: `${baseUrl}/Groups/${group.id}`,
    },
  };
}

export function listResponse<T>(resources: T[], total: number, startIndex: number): ScimListResponse<T> {
  return {
    schemas: [SCIM_SCHEMA_LIST_RESPONSE],
    totalResults: total,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

/** A member as SCIM sees it, the starting point for PUT and PATCH. */
export function userFieldsOf(member: ScimMemberRow): ScimUserFields {
  return {
    userName: member.user.email,
    name: member.user.name,
    ...splitName(member.user.name),
    primaryEmail: member.user.email,
    active: member.status === "active",
    externalId: member.externalId,
  };
}

/** DevFlow keeps one name; the first word is offered as the given name, the rest as the family name. */
export function splitName(name: string): { givenName: string; familyName: string } {
  const trimmed = name.trim();
  const space = trimmed.indexOf(" ");
  if (space < 0) return { givenName: trimmed, familyName: "" };
  return { givenName: trimmed.slice(0, space), familyName: trimmed.slice(space + 1).trim() };
}
