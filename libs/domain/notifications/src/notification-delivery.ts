import {
  NOTIFICATION_BODY_MAX,
  type DomainEvent,
  type NotificationChannels,
  type NotificationType,
} from "@devflow/contracts";
import type { Database, Prisma, Tx } from "@devflow/db";
import { applyOnce } from "@devflow/events";
import type { MailContent, Mailer } from "@devflow/mail";
import { signalNotification, type NotificationSignal } from "./live-signal";
import * as repo from "./notifications.repository";
import { channelsFor, storedNamesOf } from "./preferences";

/** What every notification handler is given by the worker. */
export interface NotificationHandlerOptions {
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

/** Someone to tell, as what, where to email them, and through which channels they chose. */
export interface Delivery {
  userId: string;
  type: NotificationType;
  email: string;
  channels: NotificationChannels;
}

/** What one delivery says in the bell and in its email. */
export interface DeliveryContent<D extends Delivery> {
  inApp(delivery: D): { title: string; body: string; link: string; payload: Prisma.InputJsonObject };
  email(delivery: D): MailContent;
}

/**
 * The recipients with the channels each chose for their notification's type (bell and email
 * unless they turned them off); those who turned both off are dropped. Runs under the organization.
 */
export async function withChannels<R extends Omit<Delivery, "channels">>(
  tx: Tx,
  recipients: readonly R[],
): Promise<(R & Pick<Delivery, "channels">)[]> {
  if (recipients.length === 0) return [];
  const types = [...new Set(recipients.map((r) => r.type))];
  const stored = await repo.listPreferences(
    tx,
    recipients.map((r) => r.userId),
    storedNamesOf(types),
  );
  const byUser = new Map<string, typeof stored>();
  for (const row of stored) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row]);
  return recipients
    .map((r) => ({ ...r, channels: channelsFor(byUser.get(r.userId) ?? [], r.type) }))
    .filter((d) => d.channels.inApp || d.channels.email);
}

/**
 * Delivers one event's notifications, once whatever the bus redelivers: the in-app ones (and their
 * live signals) are stored inside `applyOnce(handler, event)`; each email is sent inside its own
 * `applyOnce`, keyed by the event and the recipient, whose marker commits only once the SMTP
 * server has taken the message. A redelivery, a retry after a failed send or a second delivery
 * running at the same moment sends only what was not sent yet. What remains is a crash between
 * the SMTP server's "accepted" and the commit (milliseconds), after which that one email is sent
 * again: at least once, never silently lost. The cost is a database transaction held open for one
 * SMTP exchange (bounded by the mailer's timeouts). Throws (so the bus retries) when an email
 * could not be sent.
 */
export async function deliverNotifications<D extends Delivery>(
  db: Database,
  handler: string,
  options: NotificationHandlerOptions,
  event: DomainEvent,
  deliveries: readonly D[],
  content: DeliveryContent<D>,
): Promise<void> {
  const stored: NotificationSignal[] = [];
  await applyOnce(db, handler, event, async (tx) => {
    for (const delivery of deliveries.filter((d) => d.channels.inApp)) {
      const row = await repo.insertNotification(tx, {
        organizationId: event.organizationId,
        userId: delivery.userId,
        type: delivery.type,
        ...content.inApp(delivery),
      });
      const signal = { organizationId: event.organizationId, userId: delivery.userId, notificationId: row.id };
      await signalNotification(tx, signal);
      stored.push(signal);
    }
  });
  await publishLive(options, stored);
  await sendEmails(db, handler, options, event, deliveries, content);
}

async function publishLive(options: NotificationHandlerOptions, stored: readonly NotificationSignal[]): Promise<void> {
  if (!options.publish) return;
  for (const signal of stored) {
    try {
      await options.publish(signal);
    } catch (error) {
      options.logger?.warn(
        { userId: signal.userId, notificationId: signal.notificationId, reason: describeError(error) },
        "could not publish a notification to the live feed",
      );
    }
  }
}

async function sendEmails<D extends Delivery>(
  db: Database,
  handler: string,
  options: NotificationHandlerOptions,
  event: DomainEvent,
  deliveries: readonly D[],
  content: DeliveryContent<D>,
): Promise<void> {
  const emails = deliveries.filter((d) => d.channels.email);
  let failed = 0;
  for (const delivery of emails) {
    try {
      await applyOnce(db, `${handler}:email:${delivery.userId}`, event, () =>
        options.mailer.send({ to: delivery.email, ...content.email(delivery) }),
      );
    } catch (error) {
      failed++;
      options.logger?.warn(
        { eventId: event.id, userId: delivery.userId, type: delivery.type, reason: describeError(error) },
        "could not send a notification email",
      );
    }
  }
  if (failed > 0) {
    throw new Error(`${failed} of ${emails.length} notification emails for event ${event.id} could not be sent`);
  }
}

/** A web app link for an email: the base URL without its trailing slashes, then the path. */
export function webUrl(webBaseUrl: string, path: string): string {
  return `${webBaseUrl.replace(/\/+$/, "")}${path}`;
}

/** An error's message for a log line or a notification, at most 500 characters, without email addresses. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return redactAddresses(message).slice(0, 500);
}

// SMTP errors often quote the address they refused; logs and notifications never carry one.
export function redactAddresses(text: string): string {
  return text.replace(/[^\s<>"'@]+@[^\s<>"'@]+/g, "[email]");
}

/** User text (a comment, an error) on one line, cut at a word near the limit. */
export function excerptOf(body: string, max = NOTIFICATION_BODY_MAX): string {
  const flat = body.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
