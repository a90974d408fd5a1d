import { can, type RequestContext } from "@devflow/auth";
import type { DomainEvent } from "@devflow/contracts";
import type { Database, Tx } from "@devflow/db";
import { loadVisibleDocument } from "@devflow/domain-documents";
import type { EventHandler } from "@devflow/events";
import { isAppError } from "@devflow/util-core";
import {
  deliverNotifications,
  excerptOf,
  webUrl,
  withChannels,
  type Delivery,
  type NotificationHandlerOptions,
} from "./notification-delivery";
import { commentNotificationEmail } from "./notification-email";
import * as repo from "./notifications.repository";
import { selectCommentRecipients, type CommentRecipient } from "./recipients";

/** The handler's name: its queue, and the key of its idempotency markers. Renaming it starts a new queue. */
export const COMMENT_NOTIFICATION_HANDLER = "notifications.comment-created";

export type CommentNotificationHandlerOptions = NotificationHandlerOptions;

/** One person to tell, how, and where to email them. */
type CommentDelivery = Delivery & CommentRecipient;

interface CommentNotificationPlan {
  deliveries: CommentDelivery[];
  authorName: string;
  documentTitle: string;
  excerpt: string;
  /** Path on the web app, stored on the notification. */
  link: string;
  orgSlug: string;
}

/**
 * Tells people about a comment (`comment.created`): those it mentions ("mentioned you") and, for a
 * reply, those who wrote in the thread before ("replied"). Never the author; each person once;
 * only active members who can still read the document; each through the channels they chose
 * (bell and email unless they turned them off).
 *
 * Redelivery changes nothing: the in-app notifications are stored once per event, each email is
 * sent once per recipient (see deliverNotifications for what "once" means around a crash).
 */
export function createCommentNotificationHandler(
  db: Database,
  options: CommentNotificationHandlerOptions,
): EventHandler<"comment.created"> {
  return {
    name: COMMENT_NOTIFICATION_HANDLER,
    type: "comment.created",
    async handle(event) {
      const plan = await db.withTenant({ organizationId: event.organizationId }, (tx) => planDeliveries(tx, event));
      if (!plan) return;
      await deliverNotifications(db, COMMENT_NOTIFICATION_HANDLER, options, event, plan.deliveries, {
        inApp: (delivery) => ({
          title: titleOf(delivery.type, plan),
          body: plan.excerpt,
          link: plan.link,
          payload: {
            eventId: event.id,
            commentId: event.data.commentId,
            threadId: event.data.threadId,
            documentId: event.data.documentId,
            actorId: event.data.authorId,
          },
        }),
        email: (delivery) =>
          commentNotificationEmail({
            kind: delivery.type,
            authorName: plan.authorName,
            documentTitle: plan.documentTitle,
            excerpt: plan.excerpt,
            documentUrl: webUrl(options.webBaseUrl, plan.link),
            preferencesUrl: webUrl(options.webBaseUrl, `/${plan.orgSlug}/settings/notifications`),
          }),
      });
    },
  };
}

/**
 * Reads what the notifications need, under the organization: the comment (gone → nobody is told),
 * the document, who to tell and through which channels. Null when there is nothing to do.
 */
async function planDeliveries(tx: Tx, event: DomainEvent<"comment.created">): Promise<CommentNotificationPlan | null> {
  const { data, organizationId } = event;
  const comment = await repo.findComment(tx, data.commentId);
  if (!comment || comment.documentId !== data.documentId) return null;
  const orgSlug = await repo.findOrganizationSlug(tx, organizationId);
  const documentTitle = await repo.findDocumentTitle(tx, data.documentId);
  if (!orgSlug || documentTitle === null) return null;

  const isEdit = data.isEdit ?? false;
  const recipients = selectCommentRecipients({
    authorId: data.authorId,
    mentionedUserIds: data.mentionedUserIds,
    isReply: data.isReply,
    isEdit,
    earlierParticipantIds:
      data.isReply && !isEdit ? await repo.listEarlierThreadAuthors(tx, data.threadId, comment) : [],
  });
  const readers = await whoCanRead(tx, event, recipients);
  const deliveries = await withChannels(
    tx,
    recipients.flatMap((r) => {
      const email = readers.get(r.userId);
      return email === undefined ? [] : [{ ...r, email }];
    }),
  );
  if (deliveries.length === 0) return null;
  return {
    deliveries,
    authorName: (await repo.findUserName(tx, data.authorId)) ?? "Someone",
    documentTitle,
    excerpt: excerptOf(comment.body),
    link: `/${orgSlug}/documents/${data.documentId}`,
    orgSlug,
  };
}

/** The recipients who are active members and may read the document now, with their email address. */
async function whoCanRead(
  tx: Tx,
  event: DomainEvent<"comment.created">,
  recipients: readonly CommentRecipient[],
): Promise<Map<string, string>> {
  const members = await repo.findActiveMembers(
    tx,
    event.organizationId,
    recipients.map((r) => r.userId),
  );
  const readers = new Map<string, string>();
  for (const member of members) {
    const ctx: RequestContext = {
      organizationId: event.organizationId,
      actor: { userId: member.user.id, role: member.role },
      requestId: `event:${event.id}`,
    };
    if (!can(ctx.actor, "document:read")) continue;
    if (await canReadDocument(tx, ctx, event.data.documentId)) readers.set(member.user.id, member.user.email);
  }
  return readers;
}

async function canReadDocument(tx: Tx, ctx: RequestContext, documentId: string): Promise<boolean> {
  try {
    await loadVisibleDocument(tx, ctx, documentId);
    return true;
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") return false;
    throw error;
  }
}

function titleOf(type: CommentRecipient["type"], plan: CommentNotificationPlan): string {
  return type === "comment.mentioned"
    ? `${plan.authorName} mentioned you in “${plan.documentTitle}”`
    : `${plan.authorName} replied in “${plan.documentTitle}”`;
}
