import type { IntegrationListDto } from "@devflow/contracts";
import { handle } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

/** The organization's integrations (admins). */
export const GET = handle(async (req): Promise<IntegrationListDto> => {
  const ctx = await requestContext(req);
  return { items: await (await services()).integrations.list(ctx) };
});
