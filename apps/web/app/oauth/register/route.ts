import { OAuthClientRegistrationRequestSchema } from "@devflow/contracts";
import { OAuthError } from "@devflow/domain-oauth";
import type { NextRequest } from "next/server";
import { oauthErrorResponse, oauthJson, oauthService, preflight } from "@/lib/oauth-http";
import { clientIp, createRateLimiter } from "@/lib/rate-limit";

// Registration is open to anyone (RFC 7591, as the MCP spec expects); a client registers once per
// installation, so a few dozen an hour from one address is already generous.
const limiter = createRateLimiter({ limit: 30, windowMs: 60 * 60_000, what: "client registrations" });
const BODY_LIMIT_BYTES = 16 * 1024;

/** Dynamic client registration (RFC 7591 §3): JSON in, the registered client's metadata out (201). */
export async function POST(req: NextRequest): Promise<Response> {
  try {
    limiter.consume(clientIp(req.headers));
    const input = OAuthClientRegistrationRequestSchema.safeParse(await readMetadata(req));
    if (!input.success) {
      const issue = input.error.issues[0];
      const field = String(issue?.path[0] ?? "body");
      const code = field === "redirect_uris" ? "invalid_redirect_uri" : "invalid_client_metadata";
      throw new OAuthError(code, `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
    }
    return oauthJson(await (await oauthService()).registration.register(input.data), 201);
  } catch (error) {
    return oauthErrorResponse(req, error);
  }
}

export const OPTIONS = preflight;

async function readMetadata(req: NextRequest): Promise<unknown> {
  if (!/^application\/json\b/i.test(req.headers.get("content-type") ?? "")) {
    throw new OAuthError("invalid_client_metadata", "Send the client metadata as application/json");
  }
  const text = await req.text();
  if (text.length > BODY_LIMIT_BYTES) throw new OAuthError("invalid_client_metadata", "The metadata is too large");
  try {
    return JSON.parse(text);
  } catch {
    throw new OAuthError("invalid_client_metadata", "The body is not valid JSON");
  }
}
