import { handle } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

/** The trackers issues can be filed in (GitHub with a token, Jira, Linear), for any member. */
export const GET = handle(async (req) => {
  const ctx = await requestContext(req);
  return (await services()).issuesFromDocs.trackers(ctx);
});
