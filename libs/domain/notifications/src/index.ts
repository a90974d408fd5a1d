export { createNotificationsService, toNotificationDto } from "./notifications.service";
export type { NotificationsService, NotificationsServiceOptions } from "./notifications.service";
export { COMMENT_NOTIFICATION_HANDLER, createCommentNotificationHandler } from "./comment-notification.handler";
export type { CommentNotificationHandlerOptions } from "./comment-notification.handler";
export {
  createDocumentMentionNotificationHandler,
  DOCUMENT_MENTION_NOTIFICATION_HANDLER,
} from "./document-mention-notification.handler";
export type { DocumentMentionNotificationHandlerOptions } from "./document-mention-notification.handler";
export { createFailedJobNotificationHandler, FAILED_JOB_NOTIFICATION_HANDLER } from "./failed-job-notification.handler";
export type { FailedJobNotificationHandlerOptions } from "./failed-job-notification.handler";
export { createShareNotificationHandler, SHARE_NOTIFICATION_HANDLER } from "./share-notification.handler";
export type { ShareNotificationHandlerOptions } from "./share-notification.handler";
export { createDeadLetterRecorder } from "./dead-letter-recorder";
export type { DeadLetterRecorderOptions } from "./dead-letter-recorder";
export { excerptOf } from "./notification-delivery";
export type { NotificationHandlerOptions } from "./notification-delivery";
export { selectCommentRecipients, selectShareRecipients } from "./recipients";
export type { CommentAudience, CommentRecipient } from "./recipients";
export {
  commentNotificationEmail,
  documentMentionEmail,
  failedJobEmail,
  projectSharedEmail,
} from "./notification-email";
export type {
  CommentEmailInput,
  DocumentMentionEmailInput,
  FailedJobEmailInput,
  ProjectSharedEmailInput,
} from "./notification-email";
export {
  NOTIFICATION_CHANNEL,
  NotificationSignalSchema,
  parseNotificationSignal,
  signalNotification,
} from "./live-signal";
export type { NotificationSignal } from "./live-signal";
