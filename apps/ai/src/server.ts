import type { Database } from "@devflow/db";
import type { Logger } from "@devflow/observability";
import { createServiceServer, type AppServer } from "@devflow/observability/service";
import type { AiConfig } from "@devflow/util-config";

export interface AiServerDeps {
  config: AiConfig;
  db: Database;
  logger: Logger;
}

/**
 * The AI service: today the shared HTTP shell (probes, metrics, error envelope); the assistant
 * chat and the MCP server (`/mcp`) will be registered here.
 */
export function createAiServer({ config, db, logger }: AiServerDeps): AppServer {
  const server = createServiceServer({
    service: "ai",
    logger,
    host: config.HOST,
    port: config.port,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    readinessChecks: [{ name: "database", check: () => db.ping() }],
  });
  return { listen: server.listen, close: server.close };
}
