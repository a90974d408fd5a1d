import type { ServiceApp } from "@devflow/observability/service";

export interface AssistantCorsOptions {
  /** The web app's origin (PUBLIC_URL): the only page allowed to call the assistant from a browser. */
  allowedOrigin: string;
  /** Paths that answer cross-origin requests. */
  prefix?: string;
}

const ALLOWED_METHODS = "GET, POST, PATCH, DELETE, OPTIONS";
const ALLOWED_HEADERS = "authorization, content-type, x-request-id";

/**
 * CORS for the assistant API, which the web page calls directly with a service token (as the
 * editor talks to collab). Must be registered BEFORE `requireServiceTokens`: a preflight carries no
 * token and has to be answered here, before the auth hook would refuse it. Only the web app's own
 * origin is allowed; tokens travel in the Authorization header, never cookies, so no credentials.
 */
export function registerAssistantCors(
  app: ServiceApp,
  { allowedOrigin, prefix = "/v1/assistant/" }: AssistantCorsOptions,
) {
  const origin = new URL(allowedOrigin).origin;
  app.addHook("onRequest", async (request, reply) => {
    if (!request.url.startsWith(prefix)) return;
    reply.header("vary", "Origin");
    if (request.headers.origin !== origin) return;
    reply.header("access-control-allow-origin", origin);
    reply.header("access-control-expose-headers", "x-request-id, retry-after");
    if (request.method === "OPTIONS" && request.headers["access-control-request-method"]) {
      reply.header("access-control-allow-methods", ALLOWED_METHODS);
      reply.header("access-control-allow-headers", ALLOWED_HEADERS);
      reply.header("access-control-max-age", "600");
      return reply.code(204).send();
    }
  });
}
