import type { OAuthTokenReq } from "@boxyhq/saml-jackson";
import type { NextRequest } from "next/server";
import { noStore, oauthErrorResponse, readFields } from "@/lib/auth/saml-http";
import { samlBridge } from "@/lib/auth/saml-jackson";

/** OAuth token endpoint of the SAML bridge: redeems the code Jackson issued at the ACS (PKCE-checked). */
export async function POST(req: NextRequest): Promise<Response> {
  try {
    const { oauth } = await samlBridge();
    const body = (await readFields(req)) as unknown as OAuthTokenReq;
    const authorization = req.headers.get("authorization") ?? undefined;
    return noStore(Response.json(await oauth.token(body, authorization)));
  } catch (error) {
    return oauthErrorResponse(error, "token");
  }
}
