import { ScimBooleanSchema, type ScimPatchOperation } from "@devflow/contracts";
import { invalidValue } from "./scim-errors";
import { stripSchema } from "./scim-filter";

/**
 * What SCIM may change about a member, in SCIM's terms. DevFlow keeps one `name` per person; the
 * given and family names are kept only to rebuild it when an IdP patches one of them alone.
 */
export interface ScimUserFields {
  userName: string;
  name: string;
  givenName: string;
  familyName: string;
  /** The primary (or first) address in `emails`, used when `userName` is not an email address. */
  primaryEmail: string | null;
  active: boolean;
  externalId: string | null;
}

export interface ScimGroupFields {
  displayName: string;
  externalId: string | null;
  memberIds: string[];
}

/**
 * Applies PATCH operations (RFC 7644 §3.5.2) to a user, in order, and returns the result. Accepts
 * both Entra ID's style (`{ op: "Replace", path: "active", value: "False" }`) and Okta's
 * (`{ op: "replace", value: { active: false } }`). Attributes DevFlow does not keep (phone numbers,
 * the enterprise extension…) are ignored rather than refused, so an IdP's full sync still succeeds.
 */
export function applyUserPatch(current: ScimUserFields, operations: readonly ScimPatchOperation[]): ScimUserFields {
  const next = { ...current };
  for (const operation of operations) {
    if (operation.path === undefined || operation.path === "") {
      if (operation.op === "remove") throw invalidValue("A remove operation needs a path");
      for (const [key, value] of Object.entries(asObject(operation.value, "value"))) {
        setUserAttribute(next, operation.op, key, value);
      }
    } else {
      setUserAttribute(next, operation.op, operation.path, operation.value);
    }
  }
  return next;
}

function setUserAttribute(user: ScimUserFields, op: ScimPatchOperation["op"], rawPath: string, value: unknown): void {
  const path = normalizePath(rawPath);
  const isRemove = op === "remove";
  switch (path) {
    case "active":
      if (isRemove) throw invalidValue("active cannot be removed; replace it with false to deactivate");
      user.active = readBoolean(value, "active");
      return;
    case "username":
      if (isRemove) throw invalidValue("userName is required and cannot be removed");
      user.userName = readString(value, "userName");
      return;
    case "displayname":
    case "name.formatted":
      if (!isRemove) user.name = readString(value, rawPath);
      return;
    case "name.givenname":
      user.givenName = isRemove ? "" : readString(value, rawPath);
      user.name = joinName(user.givenName, user.familyName) || user.name;
      return;
    case "name.familyname":
      user.familyName = isRemove ? "" : readString(value, rawPath);
      user.name = joinName(user.givenName, user.familyName) || user.name;
      return;
    case "name":
      if (isRemove) return;
      for (const [key, sub] of Object.entries(asObject(value, "name"))) setUserAttribute(user, op, `name.${key}`, sub);
      return;
    case "emails":
      user.primaryEmail = isRemove ? null : primaryEmailOf(value);
      return;
    case "emails.value":
      user.primaryEmail = isRemove ? null : readString(value, rawPath);
      return;
    case "externalid":
      user.externalId = isRemove || value === null ? null : readString(value, "externalId");
      return;
    default:
      return;
  }
}

/**
 * Applies PATCH operations to a group: rename, externalId, and members added, removed (by value
 * list or by a `members[value eq "…"]` path, as Okta and Entra ID send) or replaced as a whole.
 * Member ids are not checked here; the service checks them against the organization's members.
 */
export function applyGroupPatch(current: ScimGroupFields, operations: readonly ScimPatchOperation[]): ScimGroupFields {
  const next = { ...current, memberIds: [...current.memberIds] };
  for (const operation of operations) {
    if (operation.path === undefined || operation.path === "") {
      if (operation.op === "remove") throw invalidValue("A remove operation needs a path");
      for (const [key, value] of Object.entries(asObject(operation.value, "value"))) {
        setGroupAttribute(next, operation.op, key, value);
      }
    } else {
      setGroupAttribute(next, operation.op, operation.path, operation.value);
    }
  }
  next.memberIds = [...new Set(next.memberIds)];
  return next;
}

const MEMBER_PATH = /^members\[\s*value\s+eq\s+"([^"]*)"\s*\]$/i;

function setGroupAttribute(group: ScimGroupFields, op: ScimPatchOperation["op"], rawPath: string, value: unknown) {
  const byValue = MEMBER_PATH.exec(rawPath.trim());
  if (byValue) {
    if (op !== "remove") throw invalidValue(`Use add on "members" to add a member, not ${op} on ${rawPath}`);
    group.memberIds = group.memberIds.filter((id) => id !== byValue[1]);
    return;
  }
  switch (normalizePath(rawPath)) {
    case "displayname":
      if (op === "remove") throw invalidValue("displayName is required and cannot be removed");
      group.displayName = readString(value, "displayName").trim();
      if (!group.displayName) throw invalidValue("displayName cannot be empty");
      return;
    case "externalid":
      group.externalId = op === "remove" || value === null ? null : readString(value, "externalId");
      return;
    case "members": {
      if (op === "remove" && (value === undefined || value === null)) {
        group.memberIds = [];
        return;
      }
      const ids = memberIdsOf(value);
      if (op === "add") group.memberIds.push(...ids);
      else if (op === "replace") group.memberIds = ids;
      else group.memberIds = group.memberIds.filter((id) => !ids.includes(id));
      return;
    }
    default:
      return;
  }
}

/** Lower-cased path without the core schema URN; `emails[type eq "work"].value` becomes `emails.value`. */
function normalizePath(path: string): string {
  const bare = stripSchema(path.trim()).toLowerCase();
  return bare.replace(/^emails\[[^\]]*\](\.value)?$/, (_, sub: string | undefined) =>
    sub ? "emails.value" : "emails",
  );
}

export function joinName(givenName: string | null | undefined, familyName: string | null | undefined): string {
  return [givenName, familyName]
    .map((part) => part?.trim())
    .filter(Boolean)
    .join(" ");
}

/** The address marked primary, else the first one; `emails` may be a list or a single object. */
export function primaryEmailOf(value: unknown): string | null {
  const list = Array.isArray(value) ? value : [value];
  const emails = list.map((entry) => asObject(entry, "emails"));
  const chosen = emails.find((e) => ScimBooleanSchema.safeParse(e.primary).data === true) ?? emails[0];
  return chosen === undefined ? null : readString(chosen.value, "emails.value");
}

function memberIdsOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((entry) => readString(asObject(entry, "members").value, "members.value"));
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidValue(`${what} must be an object`);
  }
  return value as Record<string, unknown>;
}

function readString(value: unknown, what: string): string {
  if (typeof value !== "string") throw invalidValue(`${what} must be a string`);
  if (value.length > 1_000) throw invalidValue(`${what} is too long`);
  return value;
}

function readBoolean(value: unknown, what: string): boolean {
  const parsed = ScimBooleanSchema.safeParse(value);
  if (!parsed.success) throw invalidValue(`${what} must be true or false`);
  return parsed.data;
}
