import { ORGANIZATION_HEADER } from "@devflow/web-data-access";

/**
 * A call to the web app's own API from a page that refreshes itself afterwards (router.refresh())
 * instead of caching through RTK Query: in the given organization, JSON in, and on failure the
 * server's message (or `fallback` with the status) ready to show. A network failure says so.
 */
export async function orgRequest(
  organizationId: string,
  method: "POST" | "DELETE",
  path: string,
  options: { body?: unknown; fallback: string },
): Promise<{ ok: true; response: Response } | { ok: false; message: string }> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        [ORGANIZATION_HEADER]: organizationId,
        ...(options.body !== undefined && { "content-type": "application/json" }),
      },
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    });
  } catch {
    return { ok: false, message: "Could not reach DevFlow. Check your connection and try again." };
  }
  if (response.ok) return { ok: true, response };
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  return { ok: false, message: body?.error?.message ?? `${options.fallback} (HTTP ${response.status}).` };
}
