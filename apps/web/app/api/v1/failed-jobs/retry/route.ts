import { RetryFailedJobInputSchema } from "@devflow/contracts";
import { handle, readJson } from "@/lib/http";
import { createRateLimiter } from "@/lib/rate-limit";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

const retryLimiter = createRateLimiter({ limit: 300, windowMs: 60_000 });

/** Gives one failed event back to its handler with a fresh set of attempts. */
export const POST = handle(async (req) => {
  const ctx = await requestContext(req);
  retryLimiter.consume(ctx.organizationId);
  const input = await readJson(req, RetryFailedJobInputSchema);
  await (await services()).integrations.retryFailedJob(ctx, input);
  return { retried: true };
});
