import type { Database } from "@devflow/db";
import type { Logger } from "@devflow/observability";
import { createServiceServer, type AppServer } from "@devflow/observability/service";
import type { WorkerConfig } from "@devflow/util-config";

export interface WorkerServerDeps {
  config: WorkerConfig;
  db: Database;
  logger: Logger;
}

/**
 * The worker service: today the shared HTTP shell (probes, metrics, error envelope); webhook
 * ingress and Pub/Sub push endpoints will be registered here.
 */
export function createWorkerServer({ config, db, logger }: WorkerServerDeps): AppServer {
  const server = createServiceServer({
    service: "worker",
    logger,
    host: config.HOST,
    port: config.port,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    readinessChecks: [{ name: "database", check: () => db.ping() }],
  });
  return { listen: server.listen, close: server.close };
}
