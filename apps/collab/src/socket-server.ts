import type { IncomingMessage } from "node:http";
import type { ServiceTokenVerifier } from "@devflow/auth";
import { createPostgresOpStore } from "@devflow/collab-engine";
import type { Database } from "@devflow/db";
import { createDocumentsService } from "@devflow/domain-documents";
import { REQUEST_ID_HEADER, requestIdFrom, type Logger } from "@devflow/observability";
import type { ServiceServer } from "@devflow/observability/service";
import { Gauge } from "prom-client";
import { Server } from "socket.io";
import { attachDocSessions, type DocSessions, type DocSessionsOptions } from "./doc-sessions";
import { beforeConnectAuthenticate, type CollabIo } from "./socket-auth";

export interface SocketServerOptions {
  logger: Logger;
  /** Checks the service token each socket connects with. */
  serviceTokens: ServiceTokenVerifier;
  /** Set in multi-instance deployments, where rooms must span instances. */
  redisUrl?: string | undefined;
  /** Where documents, their op logs and snapshots live. */
  db: Database;
  /** Engine and rate-limit tuning, for tests. */
  sessions?: Pick<DocSessionsOptions, "engine" | "opRateLimit" | "presenceRateLimit">;
}

export const SOCKET_PATH = "/socket.io";

/**
 * Attaches Socket.io to the service's HTTP server, admits only sockets with a service token for
 * devflow-collab, and counts connections in `devflow_collab_connections`, the metric the
 * HorizontalPodAutoscaler scales collab on.
 */
export function attachSocketServer(
  server: ServiceServer,
  { logger, serviceTokens, redisUrl, db, sessions: tuning }: SocketServerOptions,
): { io: CollabIo; sessions: DocSessions } {
  let isClosing = false;
  const io: CollabIo = new Server(server.app.server, {
    path: SOCKET_PATH,
    serveClient: false,
    // Engine.io answers /socket.io before Fastify sees the request, so refuse new sessions here.
    allowRequest: (_req, callback) => callback(isClosing ? "server shutting down" : null, !isClosing),
  });

  if (redisUrl) {
    // The Redis adapter (@socket.io/redis-adapter) is not a dependency yet; say so rather than
    // let a multi-instance deployment silently split its rooms.
    logger.warn("REDIS_URL is set but the Socket.io Redis adapter is not wired yet; rooms are local to this instance");
  }

  io.engine.on("headers", (headers: Record<string, string>, req: IncomingMessage) => {
    headers[REQUEST_ID_HEADER] = requestIdFrom(req.headers);
  });

  io.use(beforeConnectAuthenticate(serviceTokens, logger));

  const connections = new Gauge({
    name: "devflow_collab_connections",
    help: "Socket.io clients connected to this collab instance.",
    registers: [server.metrics.registry],
  });
  io.on("connection", (socket) => {
    connections.inc();
    socket.once("disconnect", () => connections.dec());
  });
  const sessions = attachDocSessions(io, {
    ...tuning,
    store: createPostgresOpStore(db),
    documents: createDocumentsService(db),
    logger,
    registry: server.metrics.registry,
  });

  server.app.addHook("preClose", async () => {
    isClosing = true;
    logger.info({ sockets: io.engine.clientsCount }, "closing socket sessions");
    // Closing the transport, not the namespace: a client told "io server disconnect" would not
    // reconnect, while one that loses its transport reconnects, to another instance during a rollout.
    // io.close() is avoided because it also closes the HTTP server, which Fastify closes itself.
    io.engine.close();
    // Ops already queued are committed (a client resending them later is deduplicated), and
    // every open document gets a snapshot.
    await sessions.close();
  });

  return { io, sessions };
}
