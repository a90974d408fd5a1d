import { createServiceTokenVerifier, SERVICE_TOKEN_ISSUER, type ServiceTokenVerifier } from "@devflow/auth";
import type { Database } from "@devflow/db";
import type { Logger } from "@devflow/observability";
import { createServiceServer, type AppServer } from "@devflow/observability/service";
import { createCommentsService } from "@devflow/domain-comments";
import { createNotificationsService } from "@devflow/domain-notifications";
import type { CollabConfig } from "@devflow/util-config";
import { attachCommentSessions } from "./comment-sessions";
import { attachNotificationPush, pgNotificationFeed, type NotificationFeed } from "./notification-push";
import { attachSocketServer, type SocketServerOptions } from "./socket-server";

export interface CollabServerDeps {
  config: CollabConfig;
  db: Database;
  logger: Logger;
  /** Checks sockets' service tokens; by default against the web app's JWKS at SERVICE_TOKEN_JWKS_URL. */
  serviceTokens?: ServiceTokenVerifier;
  /** Engine and rate-limit tuning, for tests. */
  sessions?: SocketServerOptions["sessions"];
  /**
   * Where stored notifications are announced. By default LISTEN on DATABASE_URL; the dev launcher
   * passes `pgliteNotificationFeed(pglite)` for the embedded database; null turns live pushes off.
   */
  notificationFeed?: NotificationFeed | null;
}

/**
 * The collab service: the shared HTTP shell (probes, metrics, error envelope) with the Socket.io
 * server attached at `/socket.io`, which admits only sockets with a service token for
 * devflow-collab and serves live editing, comments and notifications (`notification:new` to each
 * user's room). `close()` stops the notification listener and ends socket sessions first so
 * clients reconnect to another instance, then drains HTTP.
 */
export function createCollabServer({
  config,
  db,
  logger,
  serviceTokens,
  sessions,
  notificationFeed,
}: CollabServerDeps): AppServer {
  const server = createServiceServer({
    service: "collab",
    logger,
    host: config.HOST,
    port: config.port,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    readinessChecks: [{ name: "database", check: () => db.ping() }],
  });
  const { io } = attachSocketServer(server, {
    logger,
    serviceTokens:
      serviceTokens ??
      createServiceTokenVerifier({ jwksUrl: config.SERVICE_TOKEN_JWKS_URL, issuer: SERVICE_TOKEN_ISSUER }),
    redisUrl: config.REDIS_URL,
    db,
    sessions: {
      ...sessions,
      cluster: {
        keyPrefix: config.COLLAB_REDIS_PREFIX,
        leaseTtlMs: config.COLLAB_LEASE_TTL_MS,
        forwardTimeoutMs: config.COLLAB_FORWARD_TIMEOUT_MS,
        ...sessions?.cluster,
      },
    },
  });
  attachCommentSessions(io, { comments: createCommentsService(db), logger });
  const notifications = attachNotificationPush(io, {
    feed:
      notificationFeed !== undefined
        ? notificationFeed
        : config.DATABASE_URL
          ? pgNotificationFeed(config.DATABASE_URL, { logger })
          : null,
    notifications: createNotificationsService(db),
    logger,
  });
  return {
    async listen() {
      await notifications.start();
      return server.listen();
    },
    async close() {
      await notifications.stop();
      await server.close();
    },
  };
}
