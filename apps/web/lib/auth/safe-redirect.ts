/**
 * Where to send someone after signing in: only a path on this site. Anything else — another origin,
 * a protocol-relative `//evil.example`, a backslash trick, a `javascript:` URL — becomes `/`, so the
 * sign-in flow can never be used as an open redirect.
 */
export function safeNextPath(next: string | null | undefined, fallback = "/"): string {
  if (!next || next.length > 2048) return fallback;
  if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  if ([...next].some((c) => c.charCodeAt(0) < 0x20 || c === "\\")) return fallback;
  try {
    const base = "http://devflow.invalid";
    const url = new URL(next, base);
    if (url.origin !== base) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
