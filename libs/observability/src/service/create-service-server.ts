import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import Fastify, { LogController, type FastifyInstance, type RawServerDefault } from "fastify";
import { runHealthChecks, type DependencyCheck } from "../health";
import type { Logger } from "../logger";
import { createMetrics, type Metrics } from "../metrics";
import { REQUEST_ID_HEADER, requestIdFrom } from "../request-id";
import { toErrorResponse } from "./error-response";

export interface ServiceServerOptions {
  /** `collab`, `ai`, `worker`: the `service` label on metrics and the readiness report. */
  service: string;
  logger: Logger;
  host: string;
  /** 0 picks a free port; `listen()` returns the real URL. */
  port: number;
  /** How long `close()` lets in-flight requests and open sockets finish before cutting them. */
  shutdownTimeoutMs: number;
  /** What `/health/ready` checks, e.g. the database. */
  readinessChecks: readonly DependencyCheck[];
  /** Bound on each readiness check; below the probe's own timeout so the report is still sent. */
  readinessTimeoutMs?: number;
}

/** What an app hands to its `main.ts` or to the dev launcher. */
export interface AppServer {
  /** Starts listening and resolves with the URL to reach the server. */
  listen(): Promise<string>;
  /** Stops accepting, lets open requests and sockets finish (bounded by the shutdown timeout). */
  close(): Promise<void>;
}

/** Fastify typed with our pino logger, so `request.log` is the full `Logger`. */
export type ServiceApp = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger>;

export interface ServiceServer extends AppServer {
  /** Add the app's own routes and hooks here, before `listen()`. */
  readonly app: ServiceApp;
  /** The service's registry; app-specific metrics register into `metrics.registry`. */
  readonly metrics: Metrics;
}

export const BODY_LIMIT_BYTES = 1024 * 1024;
const READINESS_TIMEOUT_MS = 2_000;
export const KEEP_ALIVE_TIMEOUT_MS = 620_000;
const PROBE_ROUTES = new Set(["/health/live", "/health/ready", "/metrics"]);

/**
 * The Fastify server every Node service starts from: request ids (taken from `x-request-id` or
 * made, echoed on every response, bound to every log line), `/health/live`, `/health/ready`,
 * `/metrics`, the request-duration histogram, the error envelope for errors and unknown routes,
 * a 1 MB body limit, and a `close()` that drains before it cuts.
 */
export function createServiceServer(options: ServiceServerOptions): ServiceServer {
  const { service, logger } = options;
  const metrics = createMetrics(service);
  const app: ServiceApp = Fastify({
    loggerInstance: logger,
    genReqId: (req) => requestIdFrom(req.headers),
    // One line per request from onResponse below instead of Fastify's two.
    logController: new LogController({ requestIdLogLabel: "requestId", disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Longer than Google Cloud load balancers keep idle backend connections (600 s): a connection
    // the server closes just as the balancer reuses it fails that request with a 502.
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
  });
  app.server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;

  // Every socket, upgraded websockets included, so the shutdown deadline can cut whatever is left.
  const sockets = new Set<Socket>();
  app.server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  let isShuttingDown = false;
  app.addHook("onRequest", async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  app.addHook("onSend", async (_request, reply) => {
    // A request still in flight when close() began would otherwise leave an idle keep-alive
    // socket behind, and close() would wait for the full timeout on it.
    if (isShuttingDown) reply.header("connection", "close");
  });
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    const status = reply.statusCode;
    metrics.httpRequestDuration.observe(
      { service, method: request.method, route, status: String(status) },
      reply.elapsedTime / 1000,
    );
    const line = { method: request.method, url: request.url, route, status, durationMs: Math.round(reply.elapsedTime) };
    // Probes arrive every few seconds; at info they would drown the requests people care about.
    if (PROBE_ROUTES.has(route) && status < 500) request.log.debug(line, "request completed");
    else request.log.info(line, "request completed");
  });

  app.setErrorHandler((error, request, reply) => {
    const response = toErrorResponse(error, request.id);
    if (response.report) request.log.error({ err: error }, "request failed");
    else request.log.info({ code: response.body.error.code, reason: response.body.error.message }, "request rejected");
    return reply.code(response.status).send(response.body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: { code: "not_found", message: `No route for ${request.method} ${request.url.split("?")[0]}` },
    }),
  );

  app.get("/health/live", async () => ({ status: "ok" }));
  app.get("/health/ready", async (_request, reply) => {
    const report = await runHealthChecks(
      service,
      options.readinessChecks,
      options.readinessTimeoutMs ?? READINESS_TIMEOUT_MS,
    );
    return reply.code(report.status === "ok" ? 200 : 503).send(report);
  });
  app.get("/metrics", async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );

  let closing: Promise<void> | undefined;
  const shutDown = async () => {
    isShuttingDown = true;
    const deadline = setTimeout(() => {
      logger.warn(
        { openSockets: sockets.size, shutdownTimeoutMs: options.shutdownTimeoutMs },
        "shutdown timeout reached; cutting open connections",
      );
      for (const socket of sockets) socket.destroy();
    }, options.shutdownTimeoutMs);
    try {
      await app.close();
    } finally {
      clearTimeout(deadline);
    }
  };

  return {
    app,
    metrics,
    async listen() {
      await app.listen({ host: options.host, port: options.port });
      return urlOf(app.server.address() as AddressInfo);
    },
    close() {
      closing ??= shutDown();
      return closing;
    },
  };
}

/* A wildcard bind is reachable on loopback; that is the URL worth printing and testing against. */
function urlOf({ address, family, port }: AddressInfo): string {
  if (address === "0.0.0.0") return `http://127.0.0.1:${port}`;
  if (address === "::") return `http://[::1]:${port}`;
  return family === "IPv6" ? `http://[${address}]:${port}` : `http://${address}:${port}`;
}
