import { handle } from "@/lib/http";
import { oauthService } from "@/lib/oauth-http";
import { requestContext } from "@/lib/session";

/** The signed-in person's connected apps (OAuth grants) in the organization, for settings. */
export const GET = handle(async (req) => {
  const ctx = await requestContext(req);
  return { items: await (await oauthService()).connectedApps.list(ctx) };
});
