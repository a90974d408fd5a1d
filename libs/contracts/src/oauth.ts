import { z } from "zod";

/*
 * DevFlow as an OAuth 2.1 authorization server for MCP clients (MCP authorization, 2025-06-18):
 * dynamic client registration (RFC 7591), authorization code with PKCE S256, resource indicators
 * (RFC 8707), refresh token rotation, revocation (RFC 7009). Field names are the RFCs' own
 * (snake_case) because the wire format is theirs, not DevFlow's.
 */

/**
 * The scopes a person can grant an OAuth client. A subset of API token scopes: "admin" (members,
 * SSO, audit log) is deliberately not offered to third-party apps; make a personal token for that.
 */
export const OAUTH_SCOPES = ["read", "write"] as const;
export const OAuthScopeSchema = z.enum(OAUTH_SCOPES);
export type OAuthScope = z.infer<typeof OAuthScopeSchema>;

/**
 * A resource indicator (RFC 8707 §2) in the one form DevFlow stores and compares: an absolute
 * http(s) URL without fragment, scheme and host lowercased, default port dropped (URL does both), no
 * trailing slash on the path. Null for anything else. Shared by the authorization server, which
 * stores it, and by token authentication, which compares the asking resource with it.
 */
export function canonicalResourceUri(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || raw.includes("#")) return null;
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}${url.search}`;
}

/** Redirect URIs one client may register. */
export const OAUTH_REDIRECT_URIS_MAX = 10;
export const OAUTH_REDIRECT_URI_MAX_LENGTH = 2000;
export const OAUTH_CLIENT_NAME_MAX = 100;
/** Longest `state` we carry back to the client; RFC 6749 sets none, but nothing honest needs more. */
export const OAUTH_STATE_MAX = 1000;

/** Lifetimes, in seconds. */
export const OAUTH_ACCESS_TOKEN_TTL_SECONDS = 60 * 60;
export const OAUTH_AUTHORIZATION_CODE_TTL_SECONDS = 10 * 60;
/** Sliding: every refresh starts the window again. */
export const OAUTH_REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;

/**
 * Error codes of RFC 6749 §4.1.2.1 / §5.2, RFC 7591 §3.2.2, RFC 8707 §2 (invalid_target) and
 * RFC 7009 §2.2.1. `server_error` and `temporarily_unavailable` are the catch-alls.
 */
export const OAUTH_ERROR_CODES = [
  "invalid_request",
  "invalid_client",
  "invalid_grant",
  "unauthorized_client",
  "unsupported_grant_type",
  "unsupported_response_type",
  "unsupported_token_type",
  "invalid_scope",
  "invalid_target",
  "access_denied",
  "invalid_redirect_uri",
  "invalid_client_metadata",
  "server_error",
  "temporarily_unavailable",
] as const;
export const OAuthErrorCodeSchema = z.enum(OAUTH_ERROR_CODES);
export type OAuthErrorCode = z.infer<typeof OAuthErrorCodeSchema>;

/** The error body of the token, registration and revocation endpoints. */
export const OAuthErrorResponseSchema = z.object({
  error: OAuthErrorCodeSchema,
  error_description: z.string().optional(),
});
export type OAuthErrorResponse = z.infer<typeof OAuthErrorResponseSchema>;

const text = (max: number) => z.string().max(max);

/**
 * A dynamic client registration request (RFC 7591 §2). Unknown members are ignored, as §2 requires.
 * Values are checked for meaning (https, loopback, grant types) by the registration service, which
 * answers with RFC 7591's own error codes.
 */
export const OAuthClientRegistrationRequestSchema = z.object({
  redirect_uris: z.array(text(OAUTH_REDIRECT_URI_MAX_LENGTH)).min(1).max(OAUTH_REDIRECT_URIS_MAX),
  client_name: z.string().trim().max(OAUTH_CLIENT_NAME_MAX).optional(),
  client_uri: text(OAUTH_REDIRECT_URI_MAX_LENGTH).optional(),
  logo_uri: text(OAUTH_REDIRECT_URI_MAX_LENGTH).optional(),
  token_endpoint_auth_method: text(100).optional(),
  grant_types: z.array(text(200)).max(10).optional(),
  response_types: z.array(text(100)).max(10).optional(),
  scope: text(1000).optional(),
});
export type OAuthClientRegistrationRequest = z.infer<typeof OAuthClientRegistrationRequestSchema>;

/** The answer to a registration (RFC 7591 §3.2.1): public clients only, so no secret. */
export const OAuthClientRegistrationResponseSchema = z.object({
  client_id: z.string(),
  client_id_issued_at: z.number().int(),
  client_name: z.string(),
  redirect_uris: z.array(z.string()),
  grant_types: z.array(z.string()),
  response_types: z.array(z.string()),
  token_endpoint_auth_method: z.literal("none"),
  scope: z.string(),
  client_uri: z.string().optional(),
  logo_uri: z.string().optional(),
});
export type OAuthClientRegistrationResponse = z.infer<typeof OAuthClientRegistrationResponseSchema>;

/** The query of `GET /oauth/authorize` (and the hidden fields of the consent form), as sent. */
export const OAuthAuthorizationParamsSchema = z.object({
  response_type: z.string().max(100).optional(),
  client_id: z.string().max(200).optional(),
  redirect_uri: z.string().max(OAUTH_REDIRECT_URI_MAX_LENGTH).optional(),
  scope: z.string().max(1000).optional(),
  state: z.string().max(OAUTH_STATE_MAX).optional(),
  code_challenge: z.string().max(200).optional(),
  code_challenge_method: z.string().max(20).optional(),
  resource: z.string().max(OAUTH_REDIRECT_URI_MAX_LENGTH).optional(),
});
export type OAuthAuthorizationParams = z.infer<typeof OAuthAuthorizationParamsSchema>;

/** The consent form's answer, beside the authorization parameters it repeats. */
export const OAuthConsentDecisionSchema = z.object({
  decision: z.enum(["approve", "deny"]),
  organization_id: z.uuid().optional(),
  /** The scopes ticked; read is always granted. */
  scopes: z.array(OAuthScopeSchema).max(OAUTH_SCOPES.length).default([]),
});
export type OAuthConsentDecision = z.infer<typeof OAuthConsentDecisionSchema>;

const tokenField = z.string().min(1).max(500);

/** `POST /oauth/token` (form-encoded), RFC 6749 §4.1.3 and §6 with PKCE (RFC 7636 §4.5) and RFC 8707. */
export const OAuthTokenRequestSchema = z.discriminatedUnion("grant_type", [
  z.object({
    grant_type: z.literal("authorization_code"),
    code: tokenField,
    redirect_uri: z.string().min(1).max(OAUTH_REDIRECT_URI_MAX_LENGTH),
    client_id: z.string().min(1).max(200),
    code_verifier: z.string().min(1).max(500),
    resource: z.string().max(OAUTH_REDIRECT_URI_MAX_LENGTH).optional(),
  }),
  z.object({
    grant_type: z.literal("refresh_token"),
    refresh_token: tokenField,
    client_id: z.string().min(1).max(200),
    scope: z.string().max(1000).optional(),
    resource: z.string().max(OAUTH_REDIRECT_URI_MAX_LENGTH).optional(),
  }),
]);
export type OAuthTokenRequest = z.infer<typeof OAuthTokenRequestSchema>;

/** RFC 6749 §5.1. */
export const OAuthTokenResponseSchema = z.object({
  access_token: z.string(),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int(),
  refresh_token: z.string(),
  scope: z.string(),
});
export type OAuthTokenResponse = z.infer<typeof OAuthTokenResponseSchema>;

/** `POST /oauth/revoke` (form-encoded), RFC 7009 §2.1; public clients identify with client_id. */
export const OAuthRevocationRequestSchema = z.object({
  token: tokenField,
  token_type_hint: z.string().max(100).optional(),
  client_id: z.string().min(1).max(200),
});
export type OAuthRevocationRequest = z.infer<typeof OAuthRevocationRequestSchema>;

/** One app a person has let act for them in an organization (an OAuth grant), for settings. */
export const ConnectedAppSchema = z.object({
  /** The grant's id: what revoking names. */
  id: z.uuid(),
  clientId: z.string(),
  /** As the client registered itself: not verified by anyone. */
  clientName: z.string(),
  clientUri: z.string().nullable(),
  /** Where the app receives its codes, e.g. "127.0.0.1" or "claude.ai". */
  redirectHosts: z.array(z.string()),
  scopes: z.array(OAuthScopeSchema),
  /** The server the app's tokens are for (RFC 8707), e.g. the MCP endpoint. */
  resource: z.string().nullable(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
});
export type ConnectedAppDto = z.infer<typeof ConnectedAppSchema>;

/** RFC 8414 §2, the members DevFlow publishes. */
export const AuthorizationServerMetadataSchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.string(),
  token_endpoint: z.string(),
  registration_endpoint: z.string(),
  revocation_endpoint: z.string(),
  response_types_supported: z.array(z.string()),
  response_modes_supported: z.array(z.string()),
  grant_types_supported: z.array(z.string()),
  code_challenge_methods_supported: z.array(z.string()),
  token_endpoint_auth_methods_supported: z.array(z.string()),
  revocation_endpoint_auth_methods_supported: z.array(z.string()),
  scopes_supported: z.array(z.string()),
  authorization_response_iss_parameter_supported: z.boolean(),
});
export type AuthorizationServerMetadata = z.infer<typeof AuthorizationServerMetadataSchema>;
