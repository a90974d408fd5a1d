/*
 * Redirect URI rules (OAuth 2.1 §2.3.1 / §7.5, RFC 8252 for native apps): where a code may be sent
 * decides who gets it, so only addresses that cannot be taken over by someone else are accepted.
 */

/** Loopback hosts (RFC 8252 §7.3); the port may vary between registration and use. */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export type RedirectUriVerdict = { ok: true; uri: string } | { ok: false; reason: string };

/**
 * Whether `raw` may be registered as a redirect URI: an absolute https URL, or an http URL on the
 * loopback interface (a native app's local listener, RFC 8252 §7.3). No fragment (RFC 6749 §3.1.2),
 * no user info (it can hide the real host from people reading the URL).
 */
export function checkRedirectUri(raw: string): RedirectUriVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: `"${preview(raw)}" is not an absolute URL` };
  }
  if (raw.includes("#")) return { ok: false, reason: `"${preview(raw)}" has a fragment, which redirect URIs may not` };
  if (url.username || url.password) return { ok: false, reason: `"${preview(raw)}" carries user info` };
  if (url.protocol === "https:") return { ok: true, uri: raw };
  if (url.protocol === "http:") {
    if (isLoopback(url)) return { ok: true, uri: raw };
    return {
      ok: false,
      reason: `"${preview(raw)}" uses http on a host other than localhost, 127.0.0.1 or [::1]; use https`,
    };
  }
  return { ok: false, reason: `"${preview(raw)}" uses ${url.protocol}; only https and loopback http are accepted` };
}

/**
 * Whether an authorization request's redirect_uri is one the client registered: compared as exact
 * strings (OAuth 2.1 §4.1.3), except that a loopback http URI matches on any port (RFC 8252 §7.3),
 * because a native app's listener takes whatever port is free when it runs.
 */
export function matchesRegisteredRedirectUri(requested: string, registered: readonly string[]): boolean {
  if (registered.includes(requested)) return true;
  const asked = parse(requested);
  if (!asked || asked.protocol !== "http:" || !isLoopback(asked) || requested.includes("#")) return false;
  return registered.some((candidate) => {
    const known = parse(candidate);
    return (
      known !== null &&
      known.protocol === "http:" &&
      known.hostname === asked.hostname &&
      known.pathname === asked.pathname &&
      known.search === asked.search &&
      !asked.username &&
      !asked.password
    );
  });
}

/** The host a redirect goes to, for the consent screen and settings ("127.0.0.1", "claude.ai"). */
export function redirectHostOf(uri: string): string {
  return parse(uri)?.hostname ?? uri;
}

function isLoopback(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname);
}

function parse(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

function preview(raw: string): string {
  return raw.length > 80 ? `${raw.slice(0, 77)}...` : raw;
}
