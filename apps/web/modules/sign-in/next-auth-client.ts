/**
 * Starts a next-auth sign-in without its React client: fetch a CSRF token, post the sign-in, and get
 * back where to go (the IdP, the "check your email" state, or the sign-in page with an error).
 */
export async function startSignIn(providerId: string, fields: Record<string, string>): Promise<URL> {
  const csrf = await fetch("/api/auth/csrf", { credentials: "same-origin" });
  if (!csrf.ok) throw new Error("Sign-in is unavailable right now. Try again in a moment.");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`/api/auth/signin/${encodeURIComponent(providerId)}`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, csrfToken, json: "true" }),
  });
  const body = (await response.json().catch(() => null)) as { url?: string; error?: { message?: string } } | null;
  if (!response.ok || !body?.url) throw new Error(body?.error?.message ?? "Sign-in could not start. Try again.");
  return new URL(body.url, window.location.origin);
}

/** Where next-auth should land once the IdP or the email link brings the user back. */
export function completionUrl(next: string): string {
  return `/api/v1/session/complete?${new URLSearchParams({ next })}`;
}
