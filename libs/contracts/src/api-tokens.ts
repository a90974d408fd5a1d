import { z } from "zod";
import { PageQuerySchema } from "./pagination";

export const API_TOKEN_NAME_MAX = 80;
/** Longest a token may live; a token without an expiry lives until revoked. */
export const API_TOKEN_EXPIRY_DAYS_MAX = 365;
/** The expiries the settings page offers, in days; `null` is "never". */
export const API_TOKEN_EXPIRY_CHOICES = [7, 30, 90, 365, null] as const;
/** Active (neither revoked nor expired) tokens one person may hold in one organization. */
export const API_TOKENS_PER_USER_MAX = 50;

/** Same order and names as `TokenScope` in @devflow/auth, which narrows what a token's owner may do. */
export const API_TOKEN_SCOPES = ["read", "write", "admin"] as const;
export const ApiTokenScopeSchema = z.enum(API_TOKEN_SCOPES);
export type ApiTokenScope = z.infer<typeof ApiTokenScopeSchema>;

export const ApiTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  /** The token's first characters, never the whole token. */
  prefix: z.string(),
  scopes: z.array(ApiTokenScopeSchema),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
});
export type ApiTokenDto = z.infer<typeof ApiTokenSchema>;

/** The answer to a create: the only time the token itself is ever sent. */
export const CreatedApiTokenSchema = ApiTokenSchema.extend({ token: z.string() });
export type CreatedApiTokenDto = z.infer<typeof CreatedApiTokenSchema>;

export const CreateApiTokenInputSchema = z.object({
  name: z.string().trim().min(1, "Name is required").max(API_TOKEN_NAME_MAX),
  scopes: z
    .array(ApiTokenScopeSchema)
    .min(1, "Choose at least one scope")
    .transform((scopes) => API_TOKEN_SCOPES.filter((s) => scopes.includes(s))),
  /** Days until the token stops working; `null` (the default) for a token that lives until revoked. */
  expiresInDays: z.number().int().min(1).max(API_TOKEN_EXPIRY_DAYS_MAX).nullable().default(null),
});
export type CreateApiTokenInput = z.infer<typeof CreateApiTokenInputSchema>;

export const ListApiTokensQuerySchema = PageQuerySchema;
export type ListApiTokensQuery = z.infer<typeof ListApiTokensQuerySchema>;
