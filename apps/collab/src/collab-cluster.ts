import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { createRedisOwnership, type CollabEngine, type DocumentOwnership } from "@devflow/collab-engine";
import type { Logger } from "@devflow/observability";
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis, type RedisOptions } from "ioredis";
import { createOwnerForwarding, type OwnerForwarding } from "./owner-forwarding";

export interface CollabClusterTuning {
  /** Unique per process; by default the host name and a random suffix. */
  instanceId?: string;
  /** Every Redis key and channel starts with it, so deployments (and test runs) sharing a Redis stay apart. */
  keyPrefix?: string;
  /** How long a document stays with an owner that stopped renewing: the pause clients see when an instance dies. */
  leaseTtlMs?: number;
  /** How long an instance waits for a document's owner to answer a forwarded join or op. */
  forwardTimeoutMs?: number;
  /**
   * Opens a Redis connection with the given ioredis options (tests pass one that records its
   * clients, to cut them as a crash would).
   */
  connect?: (url: string, options: RedisOptions) => Redis;
}

export interface CollabClusterOptions extends CollabClusterTuning {
  redisUrl: string;
  logger: Logger;
}

export interface CollabCluster {
  readonly instanceId: string;
  /** For `new Server(…, { adapter })`: rooms and broadcasts span every instance. */
  readonly adapter: ReturnType<typeof createAdapter>;
  readonly ownership: DocumentOwnership;
  readonly forwarder: OwnerForwarding["forwarder"];
  /** How long a request keeps looking for an owner: one lease TTL and two forwarding timeouts. */
  readonly handOverMs: number;
  /** Starts answering requests other instances forward to this one. */
  serve(engine: CollabEngine): Promise<void>;
  /** After the engine closed (its leases released): stops answering and closes the Redis connections. */
  close(): Promise<void>;
}

export const DEFAULT_KEY_PREFIX = "devflow:collab:";
export const DEFAULT_LEASE_TTL_MS = 10_000;
export const DEFAULT_FORWARD_TIMEOUT_MS = 2_000;

/**
 * What several collab instances behind one Redis share: the Socket.io Redis adapter (rooms and
 * broadcasts), a lease per document (one instance runs its sequencer), and forwarding of joins and
 * ops to that owner. The adapter and the forwarding share one publishing and one subscribing
 * connection on purpose: Redis keeps one connection's messages in order, so an ack relayed from
 * the owner reaches the client between the same remote ops as it would on the owner itself.
 */
export function createCollabCluster(options: CollabClusterOptions): CollabCluster {
  const { logger } = options;
  const instanceId = options.instanceId ?? `${hostname()}-${randomUUID().slice(0, 8)}`;
  const keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const leaseTtlMs = options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS;
  const forwardTimeoutMs = options.forwardTimeoutMs ?? DEFAULT_FORWARD_TIMEOUT_MS;
  const connect = options.connect ?? ((url: string, redisOptions: RedisOptions) => new Redis(url, redisOptions));

  const publisher = connect(options.redisUrl, {});
  // No ready check on the subscribing connection. ioredis writes (P)SUBSCRIBE as soon as the socket
  // connects but sends the check's INFO a little later (ioredis issue #2037); Redis refuses INFO
  // once the connection subscribes, and that error ended the process at start-up. Subscribing is
  // allowed while Redis still loads its data, which is all the check waits for.
  const subscriber = connect(options.redisUrl, { enableReadyCheck: false });
  for (const [role, client] of [
    ["publisher", publisher],
    ["subscriber", subscriber],
  ] as const) {
    client.on("error", (error: unknown) => logger.warn({ err: error, role }, "collab Redis connection error"));
  }

  const forwarding = createOwnerForwarding({
    publisher,
    subscriber,
    channelPrefix: keyPrefix,
    instanceId,
    timeoutMs: forwardTimeoutMs,
    logger,
  });
  const ownership = createRedisOwnership({
    client: publisher,
    instanceId,
    keyPrefix,
    leaseTtlMs,
    onRenewalError: (ref, error) =>
      logger.warn({ err: error, documentId: ref.documentId }, "could not renew a document lease"),
  });

  return {
    instanceId,
    adapter: createAdapter(withLoggedPublishFailures(publisher, logger), subscriber, { key: `${keyPrefix}socket.io` }),
    ownership,
    forwarder: forwarding.forwarder,
    handOverMs: leaseTtlMs + 2 * forwardTimeoutMs,
    serve: (engine) => forwarding.serve(engine),
    async close() {
      await forwarding.close();
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    },
  };
}

/**
 * The adapter publishes without handling a failed publish, and an unhandled rejection would end
 * the process. A lost broadcast is recoverable (clients see the version gap and rejoin), so it is
 * logged instead. Everything else goes to the same client, and so to the same connection.
 */
function withLoggedPublishFailures(client: Redis, logger: Logger): Redis {
  const publish = (channel: string, message: string | Buffer) =>
    client.publish(channel, message).catch((error: unknown) => {
      logger.warn({ err: error, channel }, "could not publish a broadcast to other collab instances");
      return 0;
    });
  return new Proxy(client, {
    get(target, property) {
      if (property === "publish") return publish;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" && property !== "constructor" ? value.bind(target) : value;
    },
  });
}
