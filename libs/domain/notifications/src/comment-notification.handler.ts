import { can, type RequestContext } from "@devflow/auth";
import {
  NOTIFICATION_BODY_MAX,
  type DomainEvent,
  type NotificationChannels,
  type NotificationType,
} from "@devflow/contracts";
import type { Database, Tx } from "@devflow/db";
import { loadVisibleDocument } from "@devflow/domain-documents";
import { applyOnce, type EventHandler } from "@devflow/events";
import type { Mailer } from "@devflow/mail";
import { isAppError } from "@devflow/util-core";
import { signalNotification, type NotificationSignal } from "./live-signal";
import { commentNotificationEmail } from "./notification-email";
import * as repo from "./notifications.repository";
import { channelsOf } from "./preferences";
import { selectCommentRecipients, type CommentRecipient } from "./recipients";

/** The handler's name: its queue, and the key of its idempotency markers. Renaming it starts a new queue. */
export const COMMENT_NOTIFICATION_HANDLER = "notifications.comment-created";

export interface CommentNotificationHandlerOptions {
  /** Sends the email copies (SMTP, or the log-only transport in development). */
  mailer: Mailer;
  /** The web app as people open it (web's `PUBLIC_URL`); email links start here. */
  webBaseUrl: string;
  /**
   * Called after the notifications are committed, once per stored notification, for a live feed
   * in the same process. Optional: collab hears of every stored notification through PostgreSQL
   * (`pg_notify` on NOTIFICATION_CHANNEL, sent in the storing transaction) whatever this does.
   * A failure here is logged and changes nothing.
   */
  publish?: (signal: NotificationSignal) => void | Promise<void>;
  /** Where undeliverable emails and failed live signals are logged — with user ids, never addresses. */
  logger?: { warn(object: object, message: string): void };
}

/** One person to tell, how, and where to email them. */
interface Delivery extends CommentRecipient {
  email: string;
  channels: NotificationChannels;
}

interface CommentNotificationPlan {
  deliveries: Delivery[];
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
 * Redelivery changes nothing. The in-app notifications (and their live signal) are stored inside
 * `applyOnce`. Each email is sent inside its own `applyOnce`, keyed by the event and the recipient,
 * whose marker commits only once the SMTP server has taken the message: a redelivery, a retry after
 * a failed send or a second delivery running at the same moment sends only what was not sent yet.
 * What remains is a crash between the SMTP server's "accepted" and the commit (milliseconds), after
 * which that one email is sent again: at least once, never silently lost. The cost is a database
 * transaction held open for one SMTP exchange (bounded by the mailer's timeouts).
 */
export function createCommentNotificationHandler(
  db: Database,
  options: CommentNotificationHandlerOptions,
): EventHandler<"comment.created"> {
  const webBaseUrl = options.webBaseUrl.replace(/\/+$/, "");

  return {
    name: COMMENT_NOTIFICATION_HANDLER,
    type: "comment.created",
    async handle(event) {
      const plan = await db.withTenant({ organizationId: event.organizationId }, (tx) => planDeliveries(tx, event));
      if (!plan) return;
      const stored: NotificationSignal[] = [];
      await applyOnce(db, COMMENT_NOTIFICATION_HANDLER, event, async (tx) => {
        stored.push(...(await storeInApp(tx, event, plan)));
      });
      await publishLive(stored);
      await sendEmails(event, plan);
    },
  };

  async function publishLive(stored: readonly NotificationSignal[]): Promise<void> {
    if (!options.publish) return;
    for (const signal of stored) {
      try {
        await options.publish(signal);
      } catch (error) {
        options.logger?.warn(
          { userId: signal.userId, notificationId: signal.notificationId, reason: describe(error) },
          "could not publish a notification to the live feed",
        );
      }
    }
  }

  /** Sends every email not sent yet; throws (so the bus retries) when any could not be sent. */
  async function sendEmails(event: DomainEvent<"comment.created">, plan: CommentNotificationPlan): Promise<void> {
    const emails = plan.deliveries.filter((d) => d.channels.email);
    let failed = 0;
    for (const delivery of emails) {
      const content = commentNotificationEmail({
        kind: delivery.type,
        authorName: plan.authorName,
        documentTitle: plan.documentTitle,
        excerpt: plan.excerpt,
        documentUrl: `${webBaseUrl}${plan.link}`,
        preferencesUrl: `${webBaseUrl}/${plan.orgSlug}/settings/notifications`,
      });
      try {
        await applyOnce(db, `${COMMENT_NOTIFICATION_HANDLER}:email:${delivery.userId}`, event, () =>
          options.mailer.send({ to: delivery.email, ...content }),
        );
      } catch (error) {
        failed++;
        options.logger?.warn(
          { eventId: event.id, userId: delivery.userId, type: delivery.type, reason: describe(error) },
          "could not send a notification email",
        );
      }
    }
    if (failed > 0) {
      throw new Error(`${failed} of ${emails.length} notification emails for event ${event.id} could not be sent`);
    }
  }
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
  const deliveries = await withChannels(tx, recipients, readers);
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

/** Readers with the channels they chose for their notification's type; those who chose none are dropped. */
async function withChannels(
  tx: Tx,
  recipients: readonly CommentRecipient[],
  readers: ReadonlyMap<string, string>,
): Promise<Delivery[]> {
  const allowed = recipients.filter((r) => readers.has(r.userId));
  if (allowed.length === 0) return [];
  const types = [...new Set(allowed.map((r) => r.type))];
  const stored = await repo.listPreferences(
    tx,
    allowed.map((r) => r.userId),
    types,
  );
  const key = (userId: string, type: NotificationType) => `${userId}:${type}`;
  const byKey = new Map(stored.map((row) => [key(row.userId, row.eventType as NotificationType), row]));
  return allowed
    .map((r) => ({ ...r, email: readers.get(r.userId)!, channels: channelsOf(byKey.get(key(r.userId, r.type))) }))
    .filter((d) => d.channels.inApp || d.channels.email);
}

async function storeInApp(
  tx: Tx,
  event: DomainEvent<"comment.created">,
  plan: CommentNotificationPlan,
): Promise<NotificationSignal[]> {
  const signals: NotificationSignal[] = [];
  for (const delivery of plan.deliveries.filter((d) => d.channels.inApp)) {
    const row = await repo.insertNotification(tx, {
      organizationId: event.organizationId,
      userId: delivery.userId,
      type: delivery.type,
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
    });
    const signal = { organizationId: event.organizationId, userId: delivery.userId, notificationId: row.id };
    await signalNotification(tx, signal);
    signals.push(signal);
  }
  return signals;
}

function titleOf(type: CommentRecipient["type"], plan: CommentNotificationPlan): string {
  return type === "comment.mentioned"
    ? `${plan.authorName} mentioned you in “${plan.documentTitle}”`
    : `${plan.authorName} replied in “${plan.documentTitle}”`;
}

/** The comment on one line, cut at a word near the limit. */
export function excerptOf(body: string, max = NOTIFICATION_BODY_MAX): string {
  const flat = body.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

// SMTP errors often quote the address they refused; logs never carry one.
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/[^\s<>"'@]+@[^\s<>"'@]+/g, "[email]").slice(0, 500);
}
