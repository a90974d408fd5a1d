/**
 * The web app's Node server: Next.js behind a plain http.Server, so the process owns start-up
 * (config, the shared Database), request ids, metrics and graceful shutdown.
 *
 *   tsx server.ts                 development (Turbopack, hot reload)
 *   tsx server.ts --production    the `next build` output
 *
 * The dev launcher (infra/dev/start.ts) calls `startWebServer` instead, passing the Database it
 * shares with the other apps.
 */
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Database } from "@devflow/db";
import { REQUEST_ID_HEADER, requestIdFrom } from "@devflow/observability";
import { stopOnSignals } from "@devflow/observability/service";
import { ConfigError, loadConfig, WebConfigSchema, type WebConfig } from "@devflow/util-config";
import next from "next";
import { shareWebConfig } from "./lib/config";
import { webLogger } from "./lib/logger";
import { routeLabel, webMetrics } from "./lib/metrics";
import { handleOAuthServerRequest } from "./lib/oauth-well-known";
import { DATABASE_KEY, DATABASE_PENDING_KEY, readGlobal, writeGlobal } from "./lib/runtime-globals";
import { JWKS_PATH, jwksResponse, serviceTokenSigner } from "./lib/service-keys";

const APP_DIR = import.meta.dirname;

export interface StartWebServerOptions {
  config: WebConfig;
  /** Next's development mode (compile on demand, hot reload) instead of the `next build` output. */
  dev: boolean;
  /**
   * A Database to share instead of connecting one: the launcher's, which every app in its process
   * uses (the embedded database allows one connection). The caller keeps ownership and closes it.
   */
  database?: Database;
}

export interface WebServer {
  /** Where the server listens, e.g. `http://0.0.0.0:3000`. */
  url: string;
  /** Stops accepting, lets open requests finish (bounded by SHUTDOWN_TIMEOUT_MS), closes Next and an owned database. */
  close(): Promise<void>;
}

/**
 * The container image holds the build without next.config.ts (infra/build/build-app.ts); Next then
 * takes the configuration the build recorded, as its own standalone server does.
 */
function useRecordedNextConfig() {
  if (process.env.__NEXT_PRIVATE_STANDALONE_CONFIG || existsSync(path.join(APP_DIR, "next.config.ts"))) return;
  const recorded = path.join(APP_DIR, process.env.NEXT_DIST_DIR ?? ".next", "required-server-files.json");
  if (!existsSync(recorded)) return;
  const { config } = JSON.parse(readFileSync(recorded, "utf8")) as { config: unknown };
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
}

/** Starts Next.js on `config.port` and resolves once it is listening. */
export async function startWebServer({ config, dev, database }: StartWebServerOptions): Promise<WebServer> {
  // React and Next pick their builds from NODE_ENV; the launcher may not have set it.
  (process.env as Record<string, string | undefined>).NODE_ENV ??= dev ? "development" : "production";
  // Next reports usage to its makers unless told not to; a self-hosted workspace should not phone home.
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";
  if (!dev) useRecordedNextConfig();
  shareWebConfig(config);
  if (database) writeGlobal(DATABASE_KEY, database);
  const logger = webLogger();
  const { httpRequestDuration } = webMetrics();

  // Refuse to start with an unusable service-token key rather than fail on the first token.
  await serviceTokenSigner();

  const server = createServer();
  // Longer than the idle time of whatever reuses our connections (Google Cloud load balancers keep
  // backend connections for 600 s): closing one a client is about to reuse makes it fail mid-request.
  server.keepAliveTimeout = 620_000;
  server.headersTimeout = 621_000;
  const app = next({ dev, dir: APP_DIR, hostname: config.HOST, port: config.port, httpServer: server });
  await app.prepare();
  const handleWithNext = app.getRequestHandler();

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const startedAt = performance.now();
    // Route handlers and pages read the id from the request; it must be set before Next sees it.
    const requestId = requestIdFrom(req.headers);
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    res.on("finish", () => {
      const pathname = (req.url ?? "/").split("?")[0] ?? "/";
      const route = routeLabel(pathname);
      const seconds = (performance.now() - startedAt) / 1000;
      httpRequestDuration.observe(
        { service: "web", method: req.method ?? "GET", route, status: String(res.statusCode) },
        seconds,
      );
      if (route !== "/_next") {
        logger.info(
          { requestId, method: req.method, route, status: res.statusCode, durationMs: Math.round(seconds * 1000) },
          "request",
        );
      }
    });
    // Next's app directory does not route folders whose names start with a dot.
    if (req.url?.split("?")[0] === JWKS_PATH && (req.method === "GET" || req.method === "HEAD")) {
      jwksResponse().then(
        ({ body, headers }) => res.writeHead(200, headers).end(req.method === "HEAD" ? undefined : body),
        (error: unknown) => {
          logger.error({ err: error, requestId }, "could not serve the service-token JWKS");
          res.writeHead(500, { "content-type": "text/plain", "cache-control": "no-store" }).end("Internal error");
        },
      );
      return;
    }
    // OAuth authorization server metadata for MCP clients (RFC 8414), also a dot-folder path.
    if (handleOAuthServerRequest(req, res, config)) return;
    handleWithNext(req, res).catch((error: unknown) => {
      logger.error({ err: error, requestId }, "Next.js failed to handle a request");
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("Internal error");
    });
  });

  const url = await listen(server, config.port, config.HOST);
  logger.info({ url, dev }, "web listening");

  let closing: Promise<void> | undefined;
  return {
    url,
    close: () =>
      (closing ??= shutDown({ server, app, ownsDatabase: !database, timeoutMs: config.SHUTDOWN_TIMEOUT_MS })),
  };
}

function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address() as AddressInfo;
      resolve(`http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`);
    });
  });
}

async function shutDown({
  server,
  app,
  ownsDatabase,
  timeoutMs,
}: {
  server: Server;
  app: { close(): Promise<void> };
  ownsDatabase: boolean;
  timeoutMs: number;
}): Promise<void> {
  const drained = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // Keep-alive sockets and slow clients must not hold the process past the platform's grace period.
  const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
  deadline.unref();
  await drained;
  clearTimeout(deadline);
  await app.close();
  if (ownsDatabase) {
    const pending = readGlobal<Promise<Database>>(DATABASE_PENDING_KEY);
    const db = readGlobal<Database>(DATABASE_KEY) ?? (await pending?.catch(() => undefined));
    await db?.close();
    writeGlobal(DATABASE_KEY, undefined);
    writeGlobal(DATABASE_PENDING_KEY, undefined);
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  return script !== undefined && import.meta.url === pathToFileURL(path.resolve(script)).href;
}

if (isEntryPoint()) {
  let config: WebConfig;
  try {
    config = loadConfig("web", WebConfigSchema);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const web = await startWebServer({ config, dev: !process.argv.includes("--production") });
  stopOnSignals({ logger: webLogger(), stop: () => web.close() });
}
