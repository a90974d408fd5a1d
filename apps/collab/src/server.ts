import type { Database } from "@devflow/db";
import type { Logger } from "@devflow/observability";
import { createServiceServer, type AppServer } from "@devflow/observability/service";
import type { CollabConfig } from "@devflow/util-config";
import { attachSocketServer } from "./socket-server";

export interface CollabServerDeps {
  config: CollabConfig;
  db: Database;
  logger: Logger;
}

/**
 * The collab service: the shared HTTP shell (probes, metrics, error envelope) with the Socket.io
 * server attached at `/socket.io`. `close()` ends socket sessions first so clients reconnect to
 * another instance, then drains HTTP.
 */
export function createCollabServer({ config, db, logger }: CollabServerDeps): AppServer {
  const server = createServiceServer({
    service: "collab",
    logger,
    host: config.HOST,
    port: config.port,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    readinessChecks: [{ name: "database", check: () => db.ping() }],
  });
  attachSocketServer(server, { logger, redisUrl: config.REDIS_URL });
  return { listen: server.listen, close: server.close };
}
