import { ConnectedIntegrationSchema, ConnectGitHubTokenInputSchema } from "@devflow/contracts";
import { created, handle, readJson } from "@/lib/http";
import { createRateLimiter } from "@/lib/rate-limit";
import { services } from "@/lib/services";
import { requestContext } from "@/lib/session";

// Connecting is rare; many in a row is a script gone wrong.
const connectLimiter = createRateLimiter({ limit: 20, windowMs: 60 * 60_000 });

/** Connects a GitHub token DevFlow acts with (PR comments, check runs, issues). The credential is stored sealed and never shown again. */
export const POST = handle(async (req) => {
  const ctx = await requestContext(req);
  connectLimiter.consume(ctx.organizationId);
  const input = await readJson(req, ConnectGitHubTokenInputSchema);
  return created(
    ConnectedIntegrationSchema.parse(await (await services()).integrations.connectGithubToken(ctx, input)),
  );
});
