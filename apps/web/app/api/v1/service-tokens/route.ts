import { can, serviceTokenAudience } from "@devflow/auth";
import { CreateServiceTokenInputSchema, ServiceTokenSchema } from "@devflow/contracts";
import { forbidden } from "@devflow/util-core";
import { handle, readJson } from "@/lib/http";
import { createRateLimiter } from "@/lib/rate-limit";
import { serviceTokenSigner } from "@/lib/service-keys";
import { requestContext } from "@/lib/session";

/**
 * A short-lived token for collab, ai or worker, acting as the caller in their current organization
 * with their role there. Clients ask again shortly before `expiresAt`. An API token may ask for a
 * collab token only (the MCP server does, to edit live for its caller), and only with the write
 * scope: a service token carries the role, not the token's scopes, so anything more would let a
 * read-only token act with its owner's full role.
 */
// Clients refresh every few minutes per service; this leaves room for many tabs, not for abuse.
const mintLimiter = createRateLimiter({ limit: 120, windowMs: 60_000 });

export const POST = handle(async (req) => {
  const ctx = await requestContext(req);
  mintLimiter.consume(ctx.actor.userId);
  const { audience, agent } = await readJson(req, CreateServiceTokenInputSchema);
  if (ctx.actor.via?.kind === "api_token") {
    if (audience !== "collab") throw forbidden("API tokens can only be exchanged for collab tokens");
    if (!can(ctx.actor, "document:update")) {
      throw forbidden("Editing live documents needs an API token with the write scope");
    }
  }
  const signer = await serviceTokenSigner();
  const { token, expiresAt } = await signer.sign(
    { userId: ctx.actor.userId, organizationId: ctx.organizationId, role: ctx.actor.role, ...(agent && { agent }) },
    { audience: serviceTokenAudience(audience) },
  );
  return ServiceTokenSchema.parse({ token, expiresAt: expiresAt.toISOString() });
});
