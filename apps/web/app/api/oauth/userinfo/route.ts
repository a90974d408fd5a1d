import type { NextRequest } from "next/server";
import { noStore, oauthErrorResponse } from "@/lib/auth/saml-http";
import { samlBridge } from "@/lib/auth/saml-jackson";

/** OAuth userinfo of the SAML bridge: the person the IdP's assertion described, for a bearer access token. */
async function userinfo(req: NextRequest): Promise<Response> {
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "")?.[1];
  if (!token) {
    return noStore(
      Response.json(
        { error: "invalid_token", error_description: "Send the access token as a Bearer token" },
        { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token"' } },
      ),
    );
  }
  try {
    const { oauth } = await samlBridge();
    return noStore(Response.json(await oauth.userInfo(token)));
  } catch (error) {
    return oauthErrorResponse(error, "userinfo");
  }
}

export { userinfo as GET, userinfo as POST };
