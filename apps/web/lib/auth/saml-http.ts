import "server-only";
import { webLogger } from "../logger";

/*
 * Jackson throws JacksonError (a message and an HTTP status) for what a caller got wrong, and anything
 * else for what went wrong here. Its messages describe the request, never the assertion, so they can
 * be answered as they are; other errors are logged and answered generically.
 */

interface JacksonErrorLike {
  message: string;
  statusCode: number;
}

export function isJacksonError(error: unknown): error is JacksonErrorLike {
  return (
    error instanceof Error &&
    error.name === "JacksonError" &&
    typeof (error as Partial<JacksonErrorLike>).statusCode === "number"
  );
}

/** An OAuth 2.0 error response (RFC 6749 §5.2) for the token and userinfo endpoints. */
export function oauthErrorResponse(error: unknown, endpoint: string): Response {
  if (isJacksonError(error)) {
    const status = error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
    const code = status === 401 ? "invalid_client" : status === 403 ? "invalid_grant" : "invalid_request";
    return noStore(Response.json({ error: code, error_description: error.message }, { status }));
  }
  webLogger().error({ err: error, endpoint }, "saml bridge: unexpected error");
  return noStore(Response.json({ error: "server_error" }, { status: 500 }));
}

/** Jackson's auto-submitting forms (to the IdP, or back to the app) as a page. */
export function htmlResponse(html: string): Response {
  return noStore(new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } }));
}

/** A browser redirect that turns a POST into a GET. */
export function seeOther(url: string): Response {
  return noStore(new Response(null, { status: 303, headers: { location: url } }));
}

export function noStore(response: Response): Response {
  response.headers.set("cache-control", "no-store");
  response.headers.set("pragma", "no-cache");
  return response;
}

/** Form fields (or a JSON object) as strings; repeated fields keep their first value. */
export async function readFields(req: Request): Promise<Record<string, string>> {
  const type = req.headers.get("content-type") ?? "";
  if (type.includes("application/json")) {
    const body: unknown = await req.json().catch(() => null);
    if (typeof body !== "object" || body === null) return {};
    return Object.fromEntries(
      Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
    );
  }
  const fields: Record<string, string> = {};
  const form = await req.formData().catch(() => null);
  form?.forEach((value, key) => {
    if (typeof value === "string" && !(key in fields)) fields[key] = value;
  });
  return fields;
}

/** Query parameters as strings; repeated ones keep their first value. */
export function queryFields(req: Request): Record<string, string> {
  const fields: Record<string, string> = {};
  new URL(req.url).searchParams.forEach((value, key) => {
    if (!(key in fields)) fields[key] = value;
  });
  return fields;
}
