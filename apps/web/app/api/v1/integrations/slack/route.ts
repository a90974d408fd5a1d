import { ConnectedSlackSchema, ConnectSlackInputSchema } from "@devflow/contracts";
import { webConfig } from "@/lib/config";
import { created, handle, readJson } from "@/lib/http";
import { createRateLimiter } from "@/lib/rate-limit";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

// Connecting is rare; many in a row is a script gone wrong.
const connectLimiter = createRateLimiter({ limit: 20, windowMs: 60 * 60_000 });

/** Connects a Slack app's Events API with its signing secret; answers the Request URL to give Slack. */
export const POST = handle(async (req) => {
  const ctx = await requestContext(req);
  connectLimiter.consume(ctx.organizationId);
  const input = await readJson(req, ConnectSlackInputSchema);
  const slack = await (await services()).integrations.connectSlack(ctx, input);
  return created(
    ConnectedSlackSchema.parse({
      integrationId: slack.integrationId,
      url: new URL(slack.path, webConfig().WORKER_PUBLIC_URL).toString(),
    }),
  );
});
