import { AddSsoDomainInputSchema } from "@devflow/contracts";
import { created, handle, readJson } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

export const GET = handle(async (req) => {
  const ctx = await requestContext(req);
  return (await services()).sso.listDomains(ctx);
});

/** Claims a domain; the answer holds the TXT record to publish before verifying. */
export const POST = handle(async (req) => {
  const ctx = await requestContext(req);
  const input = await readJson(req, AddSsoDomainInputSchema);
  return created(await (await services()).sso.addDomain(ctx, input.domain));
});
