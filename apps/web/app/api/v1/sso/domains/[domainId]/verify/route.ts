import { handle, routeId } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

type Params = { domainId: string };

/** Looks the TXT record up now; a mismatch is an answer (verified: false, with what was found), not an error. */
export const POST = handle<Params>(async (req, { params }) => {
  const domainId = routeId((await params).domainId, "Domain");
  const ctx = await requestContext(req);
  return (await services()).sso.verifyDomain(ctx, domainId);
});
