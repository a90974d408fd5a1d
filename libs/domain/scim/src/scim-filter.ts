import { SCIM_SCHEMA_GROUP, SCIM_SCHEMA_USER } from "@devflow/contracts";
import { invalidFilter } from "./scim-errors";

/** The one comparison a filter may make: `<attribute> eq <value>`, attribute names lower-cased. */
export interface ScimFilter {
  attribute: string;
  value: string;
}

/*
 * Identity providers look resources up by one attribute before creating them (Okta: `userName eq`,
 * Entra ID: `userName eq`, `externalId eq`, `displayName eq` for groups). RFC 7644 §3.4.2.2 allows a
 * server to support a subset of the grammar and answer invalidFilter for the rest, which is what
 * this does: a single `eq` comparison on the attributes each resource lists as filterable.
 */
const COMPARISON =
  /^\s*([A-Za-z][\w:.-]*?)(?:\[\s*type\s+eq\s+"[^"]*"\s*\])?(\.[A-Za-z]\w*)?\s+([A-Za-z]{2})\s+("(?:[^"\\]|\\.)*"|true|false|null)\s*$/i;

/** Attribute names users may be filtered on. `emails.value` also matches `emails[type eq "work"].value`. */
export const USER_FILTER_ATTRIBUTES = ["id", "username", "externalid", "emails.value", "emails"] as const;
export const GROUP_FILTER_ATTRIBUTES = ["id", "displayname", "externalid"] as const;

/**
 * Parses a SCIM filter into one comparison, or throws invalidFilter (400) naming what is unsupported.
 * Attribute names are case-insensitive and may carry the core schema URN (RFC 7644 §3.10).
 */
export function parseScimFilter(filter: string, allowed: readonly string[]): ScimFilter {
  const match = COMPARISON.exec(filter);
  if (!match) {
    throw invalidFilter(
      `Unsupported filter "${filter.slice(0, 100)}": use a single comparison such as userName eq "ada@example.com"`,
    );
  }
  const [, rawAttribute, subAttribute, operator, rawValue] = match as unknown as [
    string,
    string,
    string | undefined,
    string,
    string,
  ];
  if (operator.toLowerCase() !== "eq") {
    throw invalidFilter(`Unsupported filter operator "${operator}": only eq is supported`);
  }
  const attribute = `${stripSchema(rawAttribute)}${subAttribute ?? ""}`.toLowerCase();
  const normalized = attribute === "emails" ? "emails.value" : attribute;
  if (!allowed.includes(normalized)) {
    throw invalidFilter(`Filtering on "${rawAttribute}${subAttribute ?? ""}" is not supported`);
  }
  if (!rawValue.startsWith('"')) throw invalidFilter(`Compare ${rawAttribute} with a quoted string`);
  return { attribute: normalized, value: readQuoted(rawValue) };
}

function readQuoted(raw: string): string {
  try {
    return JSON.parse(raw) as string;
  } catch {
    throw invalidFilter(`The filter value ${raw.slice(0, 100)} is not a valid string`);
  }
}

/** `urn:…:core:2.0:User:userName` → `userName`; other names are returned as they are. */
export function stripSchema(attribute: string): string {
  for (const schema of [SCIM_SCHEMA_USER, SCIM_SCHEMA_GROUP]) {
    if (attribute.toLowerCase().startsWith(`${schema.toLowerCase()}:`)) return attribute.slice(schema.length + 1);
  }
  return attribute;
}
