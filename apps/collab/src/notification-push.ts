import type { PGlite } from "@electric-sql/pglite";
import { NOTIFICATION_EVENTS } from "@devflow/contracts";
import {
  NOTIFICATION_CHANNEL,
  parseNotificationSignal,
  type NotificationSignal,
  type NotificationsService,
} from "@devflow/domain-notifications";
import type { Logger } from "@devflow/observability";
import pg from "pg";
import type { CollabIo } from "./socket-auth";

/**
 * Where collab hears that a notification was stored: the `pg_notify` the worker sends on
 * NOTIFICATION_CHANNEL in the storing transaction. `listen` resolves once listening and returns
 * how to stop.
 */
export interface NotificationFeed {
  listen(onPayload: (payload: string) => void): Promise<() => Promise<void>>;
}

/** Every socket of a user joins this room on connect, whatever document it opens later. */
export function userRoomOf(userId: string): string {
  return `user:${userId}`;
}

export interface NotificationPushOptions {
  /** Null: nothing is pushed, and the web client's poll of the unread count is all there is. */
  feed: NotificationFeed | null;
  notifications: Pick<NotificationsService, "readForDelivery">;
  logger: Logger;
}

/**
 * Live notifications: each socket joins its user's room on connect; each signal from the feed is
 * read under its organization (ids only travel on the channel) and emitted as `notification:new`
 * to this instance's sockets of the recipient that are connected in that organization. Every
 * instance hears every signal, so each emits to its own sockets only (no adapter fan-out).
 */
export function attachNotificationPush(io: CollabIo, { feed, notifications, logger }: NotificationPushOptions) {
  io.on("connection", (socket) => {
    void socket.join(userRoomOf(socket.data.principal.userId));
  });

  async function deliver(signal: NotificationSignal): Promise<void> {
    const sockets = (await io.in(userRoomOf(signal.userId)).local.fetchSockets()).filter(
      (s) => s.data.principal.organizationId === signal.organizationId,
    );
    if (sockets.length === 0) return;
    const message = await notifications.readForDelivery(signal);
    if (!message) return;
    for (const socket of sockets) socket.emit(NOTIFICATION_EVENTS.new, message);
  }

  let stop: (() => Promise<void>) | null = null;
  return {
    async start(): Promise<void> {
      if (!feed) {
        logger.info("live notifications are off (no database to LISTEN on); web clients poll instead");
        return;
      }
      stop = await feed.listen((payload) => {
        const signal = parseNotificationSignal(payload);
        if (!signal) {
          logger.warn({ channel: NOTIFICATION_CHANNEL }, "ignored a notification signal that is not one");
          return;
        }
        deliver(signal).catch((error: unknown) =>
          logger.error({ err: error, notificationId: signal.notificationId }, "could not push a notification"),
        );
      });
    },
    async stop(): Promise<void> {
      await stop?.();
      stop = null;
    },
  };
}

export interface PgNotificationFeedOptions {
  logger: Logger;
  /** First wait before reconnecting a lost listener, in ms; doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
}

/**
 * LISTEN on a connection of its own (a pooled one would be handed to someone else between
 * queries). A lost connection is reconnected with backoff; signals sent meanwhile are missed, which
 * the clients' periodic poll of the unread count makes up for.
 */
export function pgNotificationFeed(databaseUrl: string, options: PgNotificationFeedOptions): NotificationFeed {
  const { logger } = options;
  const firstRetryMs = options.retryMs ?? 500;
  const maxRetryMs = options.maxRetryMs ?? 30_000;
  return {
    async listen(onPayload) {
      let client: pg.Client | null = null;
      let isStopped = false;
      let retryMs = firstRetryMs;
      let timer: NodeJS.Timeout | null = null;

      const retry = () => {
        if (isStopped || timer) return;
        timer = setTimeout(() => {
          timer = null;
          void connect();
        }, retryMs);
        retryMs = Math.min(retryMs * 2, maxRetryMs);
      };

      const connect = async (): Promise<void> => {
        const next = new pg.Client({ connectionString: databaseUrl, application_name: "devflow-collab-notifications" });
        let isLost = false;
        const lost = (error?: Error) => {
          if (isLost || isStopped) return;
          isLost = true;
          if (client === next) client = null;
          logger.warn({ err: error }, "lost the notification listener's database connection; reconnecting");
          next.end().catch(() => {});
          retry();
        };
        next.on("error", lost);
        next.on("end", () => lost());
        next.on("notification", (message) => {
          if (message.channel === NOTIFICATION_CHANNEL) onPayload(message.payload ?? "");
        });
        try {
          await next.connect();
          await next.query(`LISTEN ${NOTIFICATION_CHANNEL}`);
          if (isStopped) {
            await next.end();
            return;
          }
          client = next;
          retryMs = firstRetryMs;
        } catch (error) {
          lost(error as Error);
        }
      };

      await connect();
      return async () => {
        isStopped = true;
        if (timer) clearTimeout(timer);
        const current = client;
        client = null;
        await current?.end().catch(() => {});
      };
    },
  };
}

/**
 * LISTEN on the embedded database, for `npm run dev`, where the worker and collab share one PGlite
 * in one process: its notifications reach listeners of the same instance. (PGlite takes no other
 * connections, so across processes there is nothing to listen on.)
 */
export function pgliteNotificationFeed(pglite: PGlite): NotificationFeed {
  return {
    listen: (onPayload) => pglite.listen(NOTIFICATION_CHANNEL, onPayload),
  };
}
