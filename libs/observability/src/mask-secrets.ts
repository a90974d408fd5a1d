/*
 * Patterns are bounded ({1,64}, {1,253}) so a long run of token-like characters costs linear time:
 * these run on every log line, and an unbounded `[...]+@` is quadratic on a large base64 blob.
 */
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b/g;
// At least 8 characters, so prose such as "Bearer token missing" survives.
const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/-]{8,4096}=*/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
// DevFlow's own credentials carry a recognisable prefix: API tokens, SCIM tokens, invitation links.
const DEVFLOW_TOKEN = /\b(dfp|dfscim)_[0-9a-f]{8,32}_[A-Za-z0-9_-]{8,128}/g;
const URL_CREDENTIALS = /(\/\/)[^/\s:@"]{1,256}:[^/\s@"]{1,256}@/g;
const SECRET_QUERY_PARAM =
  /([?&](?:access_token|refresh_token|id_token|token|api_key|apikey|key|secret|password|code|signature)=)[^&#\s"]{1,4096}/gi;

/**
 * Masks email addresses, bearer tokens, JWTs, passwords inside connection URLs and
 * secret-looking query parameters in free text. The logger runs it over every line it writes, so a
 * secret that reaches a message, an error or a URL is masked even when no redact path names it.
 */
export function maskSecrets(text: string): string {
  let masked = text.replace(BEARER, "$1 [redacted]");
  masked = masked.replace(JWT, "[jwt]");
  masked = masked.replace(DEVFLOW_TOKEN, "$1_[redacted]");
  masked = masked.replace(URL_CREDENTIALS, "$1[redacted]@");
  masked = masked.replace(SECRET_QUERY_PARAM, "$1[redacted]");
  // Cheap pre-check: most lines carry no "@" at all.
  if (masked.includes("@")) masked = masked.replace(EMAIL, "[email]");
  return masked;
}
