import type { ServicePrincipal, ServiceTokenAudience, ServiceTokenVerifier } from "@devflow/auth";
import type { ServiceApp } from "@devflow/observability/service";
import { AppError } from "@devflow/util-core";
import type { FastifyRequest } from "fastify";

export interface ServiceAuthOptions {
  verifier: ServiceTokenVerifier;
  /** The audience this service accepts, e.g. "devflow-ai". */
  audience: ServiceTokenAudience;
  /** Paths under this prefix need a token; probes and metrics live outside it. Default "/v1/". */
  prefix?: string;
}

const principals = new WeakMap<FastifyRequest, ServicePrincipal>();

/**
 * Requires `Authorization: Bearer <service token>` for the audience on every request under the prefix,
 * unknown routes included, so a route added there later cannot be left open by mistake. It runs on
 * `onRequest`, before bodies are read. Failures go through the error envelope as 401 (503 when the
 * issuer's keys cannot be fetched).
 */
export function requireServiceTokens(app: ServiceApp, { verifier, audience, prefix = "/v1/" }: ServiceAuthOptions) {
  app.addHook("onRequest", async (request, reply) => {
    if (!isProtected(request, prefix)) return;
    const token = bearerToken(request.headers.authorization);
    if (!token) {
      reply.header("www-authenticate", `Bearer realm="${audience}"`);
      throw new AppError("unauthenticated", "Send a service token from the web app as Authorization: Bearer <token>", {
        report: false,
      });
    }
    try {
      principals.set(request, await verifier.verify(token, audience));
    } catch (error) {
      reply.header("www-authenticate", `Bearer realm="${audience}", error="invalid_token"`);
      throw error;
    }
  });
}

/** The verified caller of a request under the protected prefix. */
export function servicePrincipal(request: FastifyRequest): ServicePrincipal {
  const principal = principals.get(request);
  if (!principal) {
    // A route outside the protected prefix asked for a caller: a wiring mistake, not the client's.
    throw new AppError("internal", `No service token was verified for ${request.method} ${request.url}`);
  }
  return principal;
}

/*
 * Checked on the matched route as well as the raw URL: the router decodes percent-escapes, so
 * `/%761/whoami` reaches `/v1/whoami` without its raw URL starting with the prefix.
 */
function isProtected(request: FastifyRequest, prefix: string): boolean {
  return request.url.startsWith(prefix) || (request.routeOptions.url?.startsWith(prefix) ?? false);
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header ?? "");
  return match?.[1];
}
