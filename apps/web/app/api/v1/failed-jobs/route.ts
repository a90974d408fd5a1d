import type { FailedJobListDto } from "@devflow/contracts";
import { handle } from "@/lib/http";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

/** Events whose handler failed on every attempt, newest first (admins). */
export const GET = handle(async (req): Promise<FailedJobListDto> => {
  const ctx = await requestContext(req);
  return { items: await (await services()).integrations.listFailedJobs(ctx) };
});
