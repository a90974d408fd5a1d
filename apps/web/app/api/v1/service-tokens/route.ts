import { serviceTokenAudience } from "@devflow/auth";
import { CreateServiceTokenInputSchema, ServiceTokenSchema } from "@devflow/contracts";
import { handle, readJson } from "@/lib/http";
import { createRateLimiter } from "@/lib/rate-limit";
import { serviceTokenSigner } from "@/lib/service-keys";
import { requestContext } from "@/lib/session";

/**
 * A short-lived token for collab, ai or worker, acting as the caller in their current organization
 * with their role there. Clients ask again shortly before `expiresAt`.
 */
// Clients refresh every few minutes per service; this leaves room for many tabs, not for abuse.
const mintLimiter = createRateLimiter({ limit: 120, windowMs: 60_000 });

export const POST = handle(async (req) => {
  const ctx = await requestContext(req);
  mintLimiter.consume(ctx.actor.userId);
  const { audience } = await readJson(req, CreateServiceTokenInputSchema);
  const signer = await serviceTokenSigner();
  const { token, expiresAt } = await signer.sign(
    { userId: ctx.actor.userId, organizationId: ctx.organizationId, role: ctx.actor.role },
    { audience: serviceTokenAudience(audience) },
  );
  return ServiceTokenSchema.parse({ token, expiresAt: expiresAt.toISOString() });
});
