import type { OAuthErrorCode } from "@devflow/contracts";

/**
 * A refusal in OAuth's own vocabulary (RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 8707 §2): the edges
 * answer it as `{ error, error_description }`, or as a redirect back to the client. Not an AppError:
 * OAuth clients understand these codes and not DevFlow's.
 */
export class OAuthError extends Error {
  override readonly name = "OAuthError";

  constructor(
    readonly error: OAuthErrorCode,
    /** Human-readable, for the client's developer; never secrets. */
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }
}

export function isOAuthError(error: unknown): error is OAuthError {
  if (error instanceof OAuthError) return true;
  // By shape too, in case the lib is ever bundled twice (see isAppErrorLike in apps/web/lib/http.ts).
  return (
    error instanceof Error &&
    error.name === "OAuthError" &&
    typeof (error as Partial<OAuthError>).error === "string" &&
    typeof (error as Partial<OAuthError>).description === "string"
  );
}

/** The HTTP status of a token, registration or revocation endpoint's error (RFC 6749 §5.2). */
export function oauthErrorStatus(error: OAuthErrorCode): number {
  if (error === "invalid_client") return 401;
  if (error === "server_error") return 500;
  if (error === "temporarily_unavailable") return 503;
  return 400;
}
