import type { NextRequest } from "next/server";
import { htmlResponse, isJacksonError, readFields, seeOther } from "@/lib/auth/saml-http";
import { samlBridge } from "@/lib/auth/saml-jackson";
import { webLogger } from "@/lib/logger";

// Signed responses with many groups run to tens of kilobytes; nothing legitimate comes near this.
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The SAML Assertion Consumer Service (HTTP-POST binding). The IdP's form posts here cross-site, so
 * there is no same-site check: Jackson accepts only a response to a request it made (RelayState,
 * InResponseTo), signed by that connection's IdP and addressed to DevFlow's audience.
 */
export async function POST(req: NextRequest): Promise<Response> {
  if (Number(req.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return seeOther("/sign-in?error=OAuthCallback");
  const { SAMLResponse, RelayState } = await readFields(req);
  if (!SAMLResponse) return seeOther("/sign-in?error=OAuthCallback");
  try {
    const { oauth } = await samlBridge();
    const result = await oauth.samlResponse({ SAMLResponse, RelayState: RelayState ?? "" });
    if (result.redirect_url) return seeOther(result.redirect_url);
    if (result.response_form) return htmlResponse(result.response_form);
    return seeOther("/sign-in?error=OAuthCallback");
  } catch (error) {
    if (!isJacksonError(error)) {
      webLogger().error({ err: error }, "saml sign-in: the response could not be processed");
      return seeOther("/sign-in?error=OAuthCallback");
    }
    webLogger().warn({ detail: error.message, status: error.statusCode }, "saml sign-in: response refused");
    // The pending sign-in it answers is gone: it expired, or this instance never saw it.
    const expired = error.message.includes("Unable to validate state");
    return seeOther(`/sign-in?error=${expired ? "session_expired" : "OAuthCallback"}`);
  }
}
