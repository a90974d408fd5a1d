import { OAuthAuthorizationParamsSchema, type OAuthAuthorizationParams } from "@devflow/contracts";
import { OAUTH_PATHS } from "@devflow/domain-oauth";

/** The authorization request's own parameters, in the order they are echoed into forms and URLs. */
export const AUTHORIZATION_PARAM_NAMES = [
  "response_type",
  "client_id",
  "redirect_uri",
  "scope",
  "state",
  "code_challenge",
  "code_challenge_method",
  "resource",
] as const satisfies readonly (keyof OAuthAuthorizationParams)[];

/** Shown on the consent page when acting on the form failed (`?devflow_error=<reason>`). */
export const CONSENT_ERROR_PARAM = "devflow_error";

/** Why the consent form could not be acted on, and what the page says about it. */
export const CONSENT_ERROR_MESSAGES = {
  malformed: "The form was incomplete. Start again from the app.",
  organization: "Choose the organization the app may use.",
  not_member: "You are not an active member of that organization.",
  sso_required: "That organization requires signing in with its single sign-on. Sign in that way, then try again.",
} as const;
export type ConsentErrorReason = keyof typeof CONSENT_ERROR_MESSAGES;

/**
 * The authorization parameters of a query or form, or null when one is sent twice (RFC 6749 §3.1:
 * parameters must not repeat) or is too long to be honest.
 */
export function readAuthorizationParams(
  source: Record<string, string | string[] | undefined> | URLSearchParams,
): OAuthAuthorizationParams | null {
  const fields: Record<string, string> = {};
  for (const name of AUTHORIZATION_PARAM_NAMES) {
    const values = source instanceof URLSearchParams ? source.getAll(name) : [source[name] ?? []].flat();
    if (values.length > 1) return null;
    if (values[0] !== undefined) fields[name] = values[0];
  }
  const parsed = OAuthAuthorizationParamsSchema.safeParse(fields);
  return parsed.success ? parsed.data : null;
}

/** The consent page's URL for these parameters, to come back to after signing in or on an error. */
export function authorizePagePath(params: OAuthAuthorizationParams, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams();
  for (const name of AUTHORIZATION_PARAM_NAMES) {
    const value = params[name];
    if (value !== undefined) query.set(name, value);
  }
  for (const [key, value] of Object.entries(extra)) query.set(key, value);
  return `${OAUTH_PATHS.authorize}?${query}`;
}
