import { z } from "zod";

// ───────────── SCIM tokens (REST: /api/v1/scim-tokens) ─────────────

export const SCIM_TOKEN_NAME_MAX = 80;
/** Active (not revoked) SCIM tokens one organization may hold: enough to rotate, few enough to audit. */
export const SCIM_TOKENS_PER_ORGANIZATION_MAX = 5;

export const ScimTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  /** The token's first characters, never the whole token. */
  prefix: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});
export type ScimTokenDto = z.infer<typeof ScimTokenSchema>;

/** GET /api/v1/scim-tokens: every active token (there are never more than the limit, so no pages). */
export const ScimTokenListSchema = z.object({ items: z.array(ScimTokenSchema) });
export type ScimTokenList = z.infer<typeof ScimTokenListSchema>;

/** The answer to a create: the only time the token itself is ever sent. */
export const CreatedScimTokenSchema = ScimTokenSchema.extend({ token: z.string() });
export type CreatedScimTokenDto = z.infer<typeof CreatedScimTokenSchema>;

export const CreateScimTokenInputSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(SCIM_TOKEN_NAME_MAX),
});
export type CreateScimTokenInput = z.infer<typeof CreateScimTokenInputSchema>;

// ───────────── SCIM 2.0 wire format (RFC 7643/7644: /scim/v2) ─────────────

export const SCIM_SCHEMA_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const SCIM_SCHEMA_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const SCIM_SCHEMA_LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const SCIM_SCHEMA_PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const SCIM_SCHEMA_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
/** Largest page a SCIM list returns, whatever `count` asks for (RFC 7644 §3.4.2.4 lets the server cap it). */
export const SCIM_LIST_COUNT_MAX = 200;
export const SCIM_LIST_COUNT_DEFAULT = 100;
/** Longest filter expression accepted; real IdP filters are one comparison. */
export const SCIM_FILTER_MAX = 1_000;
export const SCIM_NAME_MAX = 200;
export const SCIM_EXTERNAL_ID_MAX = 255;
export const SCIM_GROUP_MEMBERS_MAX = 10_000;

/** `scimType` values of RFC 7644 §3.12 that this server answers with. */
export const SCIM_ERROR_TYPES = ["uniqueness", "invalidFilter", "invalidValue", "mutability", "invalidSyntax"] as const;
export type ScimErrorType = (typeof SCIM_ERROR_TYPES)[number];

export interface ScimError {
  schemas: [typeof SCIM_SCHEMA_ERROR];
  status: string;
  scimType?: ScimErrorType;
  detail: string;
}

/**
 * A SCIM boolean. Entra ID sends "True"/"False" strings in PATCH values and some IdPs do in bodies,
 * so both spellings are read; anything else is invalid.
 */
export const ScimBooleanSchema = z.union([
  z.boolean(),
  z
    .string()
    .refine((s) => /^(true|false)$/i.test(s.trim()), "Expected true or false")
    .transform((s) => s.trim().toLowerCase() === "true"),
]);

const ScimEmailSchema = z.looseObject({
  value: z.string().trim().min(1).max(320),
  type: z.string().max(50).optional(),
  primary: ScimBooleanSchema.optional(),
});

const ScimNameSchema = z.looseObject({
  formatted: z.string().max(SCIM_NAME_MAX).nullish(),
  givenName: z.string().max(SCIM_NAME_MAX).nullish(),
  familyName: z.string().max(SCIM_NAME_MAX).nullish(),
});

/** A User as POST and PUT send it. Unknown attributes (enterprise extension, phone numbers…) are ignored. */
export const ScimUserInputSchema = z.looseObject({
  schemas: z.array(z.string()).optional(),
  userName: z.string().trim().min(1, "userName is required").max(320),
  externalId: z.string().max(SCIM_EXTERNAL_ID_MAX).nullish(),
  name: ScimNameSchema.nullish(),
  displayName: z.string().max(SCIM_NAME_MAX).nullish(),
  emails: z.array(ScimEmailSchema).max(20).nullish(),
  active: ScimBooleanSchema.optional(),
});
export type ScimUserInput = z.infer<typeof ScimUserInputSchema>;

const ScimMemberRefSchema = z.looseObject({ value: z.string().min(1).max(100), display: z.string().optional() });

/** A Group as POST and PUT send it. */
export const ScimGroupInputSchema = z.looseObject({
  schemas: z.array(z.string()).optional(),
  displayName: z.string().trim().min(1, "displayName is required").max(SCIM_NAME_MAX),
  externalId: z.string().max(SCIM_EXTERNAL_ID_MAX).nullish(),
  members: z.array(ScimMemberRefSchema).max(SCIM_GROUP_MEMBERS_MAX).nullish(),
});
export type ScimGroupInput = z.infer<typeof ScimGroupInputSchema>;

/** One PATCH operation. `op` is case-insensitive because Entra ID sends "Replace", "Add", "Remove". */
export const ScimPatchOperationSchema = z.looseObject({
  op: z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(z.enum(["add", "replace", "remove"])),
  path: z.string().max(SCIM_FILTER_MAX).optional(),
  value: z.unknown().optional(),
});
export type ScimPatchOperation = z.infer<typeof ScimPatchOperationSchema>;

export const ScimPatchRequestSchema = z.looseObject({
  schemas: z.array(z.string()).optional(),
  Operations: z.array(ScimPatchOperationSchema).min(1, "Operations is required").max(1_000),
});
export type ScimPatchRequest = z.infer<typeof ScimPatchRequestSchema>;

/** List query parameters (RFC 7644 §3.4.2). `startIndex` is 1-based; values below 1 mean 1. */
export const ScimListQuerySchema = z.object({
  filter: z.string().max(SCIM_FILTER_MAX).optional(),
  startIndex: z.coerce
    .number()
    .int()
    .catch(1)
    .transform((n) => Math.max(1, n))
    .default(1),
  count: z.coerce
    .number()
    .int()
    .catch(SCIM_LIST_COUNT_DEFAULT)
    .transform((n) => Math.min(Math.max(0, n), SCIM_LIST_COUNT_MAX))
    .default(SCIM_LIST_COUNT_DEFAULT),
  excludedAttributes: z.string().max(500).optional(),
});
export type ScimListQuery = z.infer<typeof ScimListQuerySchema>;

export interface ScimMeta {
  resourceType: "User" | "Group";
  created: string;
  lastModified: string;
  location: string;
}

export interface ScimUserResource {
  schemas: [typeof SCIM_SCHEMA_USER];
  id: string;
  externalId?: string;
  userName: string;
  name: { formatted: string; givenName: string; familyName: string };
  displayName: string;
  emails: { value: string; primary: true; type: "work" }[];
  active: boolean;
  groups: { value: string; display: string; $ref: string }[];
  meta: ScimMeta;
}

export interface ScimGroupResource {
  schemas: [typeof SCIM_SCHEMA_GROUP];
  id: string;
  externalId?: string;
  displayName: string;
  members?: { value: string; display: string; $ref: string }[];
  meta: ScimMeta;
}

export interface ScimListResponse<T> {
  schemas: [typeof SCIM_SCHEMA_LIST_RESPONSE];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: T[];
}
