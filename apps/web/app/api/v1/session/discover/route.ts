import { DiscoverSignInInputSchema, type SignInOptionsDto } from "@devflow/contracts";
import { webConfig } from "@/lib/config";
import { handle, readJson } from "@/lib/http";
import { clientIp, createRateLimiter } from "@/lib/rate-limit";
import { services } from "@/lib/services";

// Discovery reveals whether a domain uses SSO; limit it so it can't be used to map customers wholesale.
const limiter = createRateLimiter({ limit: 120, windowMs: 60_000, what: "sign-in lookups" });

/** Home-realm discovery: how the typed email signs in. */
export const POST = handle(async (req): Promise<SignInOptionsDto> => {
  limiter.consume(clientIp(req.headers));
  const { email } = await readJson(req, DiscoverSignInInputSchema);
  const address = email.trim().toLowerCase();
  const { sso } = await services();
  const [found, enforced] = await Promise.all([sso.discover(address), sso.enforcedFor(address)]);
  const config = webConfig();
  return {
    email: address,
    sso: found ? { connectionId: found.connectionId, organizationName: found.organizationName } : null,
    ssoRequired: enforced !== null,
    github: Boolean(config.GITHUB_CLIENT_ID && config.GITHUB_CLIENT_SECRET),
  };
});
