export { createNotificationsService, toNotificationDto } from "./notifications.service";
export type { NotificationsService, NotificationsServiceOptions } from "./notifications.service";
export {
  COMMENT_NOTIFICATION_HANDLER,
  createCommentNotificationHandler,
  excerptOf,
} from "./comment-notification.handler";
export type { CommentNotificationHandlerOptions } from "./comment-notification.handler";
export { selectCommentRecipients } from "./recipients";
export type { CommentAudience, CommentRecipient } from "./recipients";
export { commentNotificationEmail } from "./notification-email";
export type { CommentEmailInput } from "./notification-email";
export {
  NOTIFICATION_CHANNEL,
  NotificationSignalSchema,
  parseNotificationSignal,
  signalNotification,
} from "./live-signal";
export type { NotificationSignal } from "./live-signal";
