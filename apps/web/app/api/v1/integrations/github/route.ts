import { ConnectedWebhookSchema } from "@devflow/contracts";
import { webConfig } from "@/lib/config";
import { created, handle } from "@/lib/http";
import { createRateLimiter } from "@/lib/rate-limit";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

// Connecting is rare; many in a row is a script gone wrong.
const connectLimiter = createRateLimiter({ limit: 20, windowMs: 60 * 60_000 });

/** Connects a GitHub webhook; the answer carries its signing secret, which is never shown again. */
export const POST = handle(async (req) => {
  const ctx = await requestContext(req);
  connectLimiter.consume(ctx.organizationId);
  const hook = await (await services()).integrations.connectGithubWebhook(ctx);
  return created(
    ConnectedWebhookSchema.parse({
      integrationId: hook.integrationId,
      url: new URL(hook.path, webConfig().WORKER_PUBLIC_URL).toString(),
      secret: hook.secret,
    }),
  );
});
