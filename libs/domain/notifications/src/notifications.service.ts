import { can, type RequestContext } from "@devflow/auth";
import {
  COLLAB_PROTOCOL_VERSION,
  NotificationTypeSchema,
  type ListNotificationsQuery,
  type MarkNotificationsReadInput,
  type MarkNotificationsReadResult,
  type NotificationDto,
  type NotificationListDto,
  type NotificationNew,
  type NotificationPreferencesDto,
  type UpdateNotificationPreferencesInput,
} from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { encodeCursor, forbidden, readCursor } from "@devflow/util-core";
import type { NotificationSignal } from "./live-signal";
import * as repo from "./notifications.repository";
import type { NotificationRow } from "./notifications.repository";
import { withDefaults } from "./preferences";

export type NotificationsService = ReturnType<typeof createNotificationsService>;

export interface NotificationsServiceOptions {
  now?: () => Date;
}

/**
 * The signed-in person's own notifications and preferences in their current organization. Every
 * query is scoped to `ctx.actor.userId` inside the organization's transaction: nobody reads, counts
 * or marks another person's notifications, whatever ids they send.
 */
export function createNotificationsService(db: Database, options: NotificationsServiceOptions = {}) {
  const now = options.now ?? (() => new Date());

  return {
    /** Newest first, `query.limit` per page (at most 50), with the unread count for the badge. */
    async list(ctx: RequestContext, query: ListNotificationsQuery): Promise<NotificationListDto> {
      assertMayRead(ctx);
      const [createdAt, id] = query.cursor ? readCursor(query.cursor, ["timestamp", "uuid"]) : [];
      const after = createdAt && id ? { createdAt: new Date(createdAt), id } : undefined;
      const { rows, unreadCount } = await db.withTenant(ctx, async (tx) => ({
        rows: await repo.listNotifications(tx, ctx.actor.userId, {
          take: query.limit + 1,
          unreadOnly: query.unread ?? false,
          after,
        }),
        unreadCount: await repo.countUnread(tx, ctx.actor.userId),
      }));
      const items = rows.slice(0, query.limit);
      const last = items.at(-1);
      return {
        items: items.map(toNotificationDto),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
        unreadCount,
      };
    },

    async unreadCount(ctx: RequestContext): Promise<number> {
      assertMayRead(ctx);
      return db.withTenant(ctx, (tx) => repo.countUnread(tx, ctx.actor.userId));
    },

    /** Marks the given notifications (or all) read. Ids that are not the caller's change nothing. */
    async markRead(ctx: RequestContext, input: MarkNotificationsReadInput): Promise<MarkNotificationsReadResult> {
      assertMayChange(ctx);
      const ids = "ids" in input ? input.ids : null;
      return db.withTenant(ctx, async (tx) => ({
        marked: await repo.markRead(tx, ctx.actor.userId, ids, now()),
        unreadCount: await repo.countUnread(tx, ctx.actor.userId),
      }));
    },

    /** Every type with the caller's channels, defaults (bell and email on, Slack off) where they chose nothing. */
    async getPreferences(ctx: RequestContext): Promise<NotificationPreferencesDto> {
      assertMayRead(ctx);
      const rows = await db.withTenant(ctx, (tx) => repo.listPreferences(tx, [ctx.actor.userId]));
      return { items: withDefaults(rows) };
    },

    /** Replaces the caller's channels for the types given; the others keep theirs. */
    async updatePreferences(
      ctx: RequestContext,
      input: UpdateNotificationPreferencesInput,
    ): Promise<NotificationPreferencesDto> {
      assertMayChange(ctx);
      const rows = await db.withTenant(ctx, async (tx) => {
        for (const { type, inApp, email, slack } of input.items) {
          await repo.upsertPreference(
            tx,
            { organizationId: ctx.organizationId, userId: ctx.actor.userId, type },
            { inApp, email, slack },
          );
        }
        return repo.listPreferences(tx, [ctx.actor.userId]);
      });
      return { items: withDefaults(rows) };
    },

    /**
     * The live message for a stored notification, read under its organization for its recipient;
     * null when it is gone, or the recipient is no longer an active member there. For collab, which
     * hears of notifications by id (see NOTIFICATION_CHANNEL) and acts on nobody's request.
     */
    async readForDelivery(signal: NotificationSignal): Promise<NotificationNew | null> {
      return db.withTenant({ organizationId: signal.organizationId }, async (tx) => {
        if (!(await repo.isActiveMember(tx, signal.organizationId, signal.userId))) return null;
        const row = await repo.findNotification(tx, signal.userId, signal.notificationId);
        if (!row) return null;
        return {
          v: COLLAB_PROTOCOL_VERSION,
          organizationId: signal.organizationId,
          notification: toNotificationDto(row),
          unreadCount: await repo.countUnread(tx, signal.userId),
        };
      });
    },
  };
}

function assertMayRead(ctx: RequestContext): void {
  if (!can(ctx.actor, "organization:read")) throw forbidden("Your access does not include notifications");
}

/**
 * Marking read and choosing channels change only the caller's own state, so any member may; an API
 * token needs more than the read scope, as for any other write.
 */
function assertMayChange(ctx: RequestContext): void {
  assertMayRead(ctx);
  const via = ctx.actor.via;
  if (via?.kind === "api_token" && !via.scopes.some((scope) => scope !== "read")) {
    throw forbidden("Changing notifications needs an API token with the write scope");
  }
}

export function toNotificationDto(row: NotificationRow): NotificationDto {
  return {
    id: row.id,
    // Rows are written by this domain only; a type the catalog no longer knows is shown as the closest one.
    type: NotificationTypeSchema.catch("comment.mentioned").parse(row.type),
    title: row.title,
    body: row.body,
    link: row.link,
    readAt: row.readAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
