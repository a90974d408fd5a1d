import { z } from "zod";
import { COLLAB_PROTOCOL_VERSION } from "./collab";

/**
 * In-app notifications (the bell), their email copies, and each person's choice of channels per
 * kind of notification. A notification belongs to one person in one organization; nobody else
 * reads it, marks it or sees that it exists.
 */

/**
 * Every kind of notification, in the order the preferences page lists them. Adding one here adds
 * a row to everyone's preferences, with the defaults below. (`project.shared` was listed as
 * `document.shared` before anything sent it; choices stored under that name still apply, see
 * domain/notifications' preferences.ts.)
 */
export const NOTIFICATION_TYPES = [
  "comment.mentioned",
  "document.mentioned",
  "comment.replied",
  "project.shared",
  "job.failed",
] as const;
export const NotificationTypeSchema = z.enum(NOTIFICATION_TYPES);
export type NotificationType = z.infer<typeof NotificationTypeSchema>;

/** How the preferences page names each kind, and says when it arrives. */
export const NOTIFICATION_TYPE_LABELS: Record<NotificationType, { label: string; description: string }> = {
  "comment.mentioned": { label: "Mentions", description: "Someone @mentions you in a comment." },
  "document.mentioned": { label: "Mentions in docs", description: "Someone @mentions you in a document." },
  "comment.replied": { label: "Replies", description: "Someone replies in a comment thread you took part in." },
  "project.shared": { label: "Shared with you", description: "Someone gives you access to a private project." },
  "job.failed": {
    label: "Failed jobs",
    description: "A background job gives up after its last retry (admins and owners only).",
  },
};

/** The most notifications one page of the list holds. */
export const NOTIFICATIONS_PAGE_MAX = 50;
export const NOTIFICATIONS_PAGE_DEFAULT = 20;
/** The most notifications one `POST /notifications/read` marks by id. */
export const NOTIFICATIONS_MARK_MAX = 100;
/** How much of a comment a notification (and its email) quotes. */
export const NOTIFICATION_BODY_MAX = 280;

/** One notification as its recipient sees it. */
export const NotificationSchema = z.object({
  id: z.uuid(),
  type: NotificationTypeSchema,
  /** One line: who did what, where ("Ada mentioned you in “Retry policy”"). */
  title: z.string(),
  /** A short quote of what happened (the comment's first lines); may be empty. */
  body: z.string(),
  /** Where clicking it leads: a path on the web app (`/<orgSlug>/documents/<id>`), never another site; null when nowhere. */
  link: z
    .string()
    .regex(/^\/(?![/\\])/, "must be a path on the web app")
    .nullable(),
  readAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type NotificationDto = z.infer<typeof NotificationSchema>;

/** `GET /api/v1/notifications`: newest first; `cursor` is the previous page's `nextCursor`. */
export const ListNotificationsQuerySchema = z.object({
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(NOTIFICATIONS_PAGE_MAX).default(NOTIFICATIONS_PAGE_DEFAULT),
  /** Only the unread ones. */
  unread: z
    .enum(["true", "false", "1", "0"])
    .transform((v) => v === "true" || v === "1")
    .optional(),
});
export type ListNotificationsQuery = z.output<typeof ListNotificationsQuerySchema>;

export const NotificationListSchema = z.object({
  items: z.array(NotificationSchema),
  nextCursor: z.string().nullable(),
  /** Unread notifications in all, not only on this page: the bell's badge. */
  unreadCount: z.number().int().nonnegative(),
});
export type NotificationListDto = z.infer<typeof NotificationListSchema>;

/** `POST /api/v1/notifications/read`: the given ones, or every one, become read. */
export const MarkNotificationsReadInputSchema = z.union([
  z.strictObject({ ids: z.array(z.uuid()).min(1).max(NOTIFICATIONS_MARK_MAX) }),
  z.strictObject({ all: z.literal(true) }),
]);
export type MarkNotificationsReadInput = z.infer<typeof MarkNotificationsReadInputSchema>;

export const MarkNotificationsReadResultSchema = z.object({
  /** How many changed from unread to read. */
  marked: z.number().int().nonnegative(),
  unreadCount: z.number().int().nonnegative(),
});
export type MarkNotificationsReadResult = z.infer<typeof MarkNotificationsReadResultSchema>;

/** Where one kind of notification reaches its recipient. */
export const NotificationChannelsSchema = z.object({
  inApp: z.boolean(),
  email: z.boolean(),
  /**
   * A direct message from the organization's Slack app, to the Slack user with the person's email
   * address. Needs the app connected with a bot token (scopes chat:write and users:read.email);
   * without one, or when Slack knows nobody by that address, nothing is sent to Slack.
   */
  slack: z.boolean(),
});
export type NotificationChannels = z.infer<typeof NotificationChannelsSchema>;

/** What someone who never changed a preference gets: the bell and email, not Slack. */
export const NOTIFICATION_CHANNEL_DEFAULTS: NotificationChannels = { inApp: true, email: true, slack: false };

export const NotificationPreferenceSchema = NotificationChannelsSchema.extend({ type: NotificationTypeSchema });
export type NotificationPreferenceDto = z.infer<typeof NotificationPreferenceSchema>;

/** `GET /api/v1/notifications/preferences`: one entry per type, in `NOTIFICATION_TYPES` order, defaults filled in. */
export const NotificationPreferencesSchema = z.object({ items: z.array(NotificationPreferenceSchema) });
export type NotificationPreferencesDto = z.infer<typeof NotificationPreferencesSchema>;

/** `PUT /api/v1/notifications/preferences`: the types given are replaced; the others stay as they are. */
export const UpdateNotificationPreferencesInputSchema = z.object({
  items: z
    .array(NotificationPreferenceSchema)
    .min(1)
    .max(NOTIFICATION_TYPES.length)
    .refine((items) => new Set(items.map((i) => i.type)).size === items.length, "Each type may appear once"),
});
export type UpdateNotificationPreferencesInput = z.infer<typeof UpdateNotificationPreferencesInputSchema>;

/** Socket.io events of the live notification feed on the collab service. */
export const NOTIFICATION_EVENTS = {
  /**
   * server → every socket of the recipient connected in the notification's organization, as
   * `NotificationNew`, as soon as the notification is stored. Each socket joins its user's room on
   * connect; there is nothing to subscribe to.
   */
  new: "notification:new",
} as const;
export type NotificationEventName = (typeof NOTIFICATION_EVENTS)[keyof typeof NOTIFICATION_EVENTS];

export const NotificationNewSchema = z.object({
  v: z.literal(COLLAB_PROTOCOL_VERSION),
  organizationId: z.uuid(),
  notification: NotificationSchema,
  /** The recipient's unread count with this one included. */
  unreadCount: z.number().int().nonnegative(),
});
export type NotificationNew = z.infer<typeof NotificationNewSchema>;
