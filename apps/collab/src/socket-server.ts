import type { IncomingMessage } from "node:http";
import type { ServiceTokenVerifier } from "@devflow/auth";
import { createPostgresOpStore } from "@devflow/collab-engine";
import type { Database } from "@devflow/db";
import { createDocumentsService } from "@devflow/domain-documents";
import { REQUEST_ID_HEADER, requestIdFrom, type Logger } from "@devflow/observability";
import type { ServiceServer } from "@devflow/observability/service";
import { Gauge } from "prom-client";
import { Server } from "socket.io";
import { createCollabCluster, type CollabClusterTuning } from "./collab-cluster";
import { attachDocSessions, type DocSessions, type DocSessionsOptions } from "./doc-sessions";
import { createMentionRecorder } from "./mention-hook";
import { beforeConnectAuthenticate, type CollabIo } from "./socket-auth";

export interface SocketServerOptions {
  logger: Logger;
  /** Checks the service token each socket connects with. */
  serviceTokens: ServiceTokenVerifier;
  /**
   * Set in multi-instance deployments: rooms span instances through the Socket.io Redis adapter,
   * one instance at a time runs each document's sequencer (a lease in Redis), and the others
   * forward their sockets' joins and ops to it. Unset: this instance serves every document alone.
   */
  redisUrl?: string | undefined;
  /** Where documents, their op logs and snapshots live. */
  db: Database;
  /** Engine, rate-limit and cluster tuning, for tests. */
  sessions?: Pick<DocSessionsOptions, "engine" | "opRateLimit" | "presenceRateLimit" | "accessRecheckMs"> & {
    cluster?: CollabClusterTuning;
  };
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
  const { cluster: clusterTuning, ...sessionTuning } = tuning ?? {};
  const cluster = redisUrl ? createCollabCluster({ ...clusterTuning, redisUrl, logger }) : null;
  const io: CollabIo = new Server(server.app.server, {
    path: SOCKET_PATH,
    serveClient: false,
    // Engine.io answers /socket.io before Fastify sees the request, so refuse new sessions here.
    allowRequest: (_req, callback) => callback(isClosing ? "server shutting down" : null, !isClosing),
    ...(cluster && { adapter: cluster.adapter }),
  });

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
  const mentions = createMentionRecorder({ db, logger });
  const sessions = attachDocSessions(io, {
    ...sessionTuning,
    ...(cluster && {
      engine: {
        ...sessionTuning.engine,
        ownership: cluster.ownership,
        forwarder: cluster.forwarder,
        handOverMs: cluster.handOverMs,
      },
    }),
    store: createPostgresOpStore(db),
    documents: createDocumentsService(db),
    logger,
    registry: server.metrics.registry,
    afterOpAcked: mentions.afterOpAcked,
  });

  if (cluster) {
    // Before the port opens: an instance that cannot be reached through Redis must not take sockets.
    server.app.addHook("onReady", async () => {
      await cluster.serve(sessions.engine);
      logger.info({ instanceId: cluster.instanceId }, "collab instance joined the cluster");
    });
  }

  server.app.addHook("preClose", async () => {
    isClosing = true;
    logger.info({ sockets: io.engine.clientsCount }, "closing socket sessions");
    // Closing the transport, not the namespace: a client told "io server disconnect" would not
    // reconnect, while one that loses its transport reconnects, to another instance during a rollout.
    // io.close() is avoided because it also closes the HTTP server, which Fastify closes itself.
    io.engine.close();
    // Ops already queued are committed (a client resending them later is deduplicated), and
    // every open document gets a snapshot; leases are released only after that.
    await sessions.close();
    await mentions.idle();
    await cluster?.close();
  });

  return { io, sessions };
}
