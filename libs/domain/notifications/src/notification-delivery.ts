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
import { channelsFor, isDelivered, storedNamesOf } from "./preferences";
import { finalSlackRefusal, slackMessageOf } from "./slack-message";
import {
  forgetSlackUser,
  loadSlackUserLinks,
  slackUserIdOf,
  type SlackDirectMessages,
  type SlackUserLinks,
} from "./slack-user-links";

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
  /**
   * The organization's Slack app (its bot token, behind its breaker), or null when it has none with
   * a bot token. Those who chose Slack get a direct message from it, sent to the Slack user their
   * email address belongs to. Without this option nothing is sent to Slack.
   */
  slack?: (organizationId: string) => Promise<SlackDirectMessages | null>;
  /**
   * Where undeliverable emails and Slack messages and failed live signals are logged — with user
   * ids, never addresses or tokens.
   */
  logger?: { warn(object: object, message: string): void };
}

/** Someone to tell, as what, where to email them, and through which channels they chose. */
export interface Delivery {
  userId: string;
  type: NotificationType;
  email: string;
  channels: NotificationChannels;
}

/** What one delivery says in the bell and in its email (its Slack message says what the bell does). */
export interface DeliveryContent<D extends Delivery> {
  inApp(delivery: D): { title: string; body: string; link: string; payload: Prisma.InputJsonObject };
  email(delivery: D): MailContent;
}

/**
 * The recipients with the channels each chose for their notification's type (bell and email
 * unless they turned them off, Slack if they turned it on); those who turned all off are dropped.
 * Runs under the organization.
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
    .filter((d) => isDelivered(d.channels));
}

/**
 * Delivers one event's notifications, once whatever the bus redelivers: the in-app ones (and their
 * live signals) are stored inside `applyOnce(handler, event)`; each email is sent inside its own
 * `applyOnce`, keyed by the event and the recipient, whose marker commits only once the SMTP
 * server has taken the message. A redelivery, a retry after a failed send or a second delivery
 * running at the same moment sends only what was not sent yet. What remains is a crash between
 * the SMTP server's "accepted" and the commit (milliseconds), after which that one email is sent
 * again: at least once, never silently lost. The cost is a database transaction held open for one
 * SMTP exchange (bounded by the mailer's timeouts). Slack messages are sent the same way, each in
 * its own `applyOnce` held open for one `chat.postMessage`. Throws (so the bus retries) when an
 * email or a Slack message could not be sent — except when Slack refused for good (see
 * sendSlackMessages), which no retry would change.
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
  const failures = [
    await sendEmails(db, handler, options, event, deliveries, content),
    await sendSlackMessages(db, handler, options, event, deliveries, content),
  ].filter((failure) => failure !== null);
  if (failures.length > 0) throw new Error(failures.join("; "));
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

/** Sends the emails not sent yet; what failed, or null when none did. */
async function sendEmails<D extends Delivery>(
  db: Database,
  handler: string,
  options: NotificationHandlerOptions,
  event: DomainEvent,
  deliveries: readonly D[],
  content: DeliveryContent<D>,
): Promise<string | null> {
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
  return failed > 0
    ? `${failed} of ${emails.length} notification emails for event ${event.id} could not be sent`
    : null;
}

/**
 * Sends the Slack direct messages not sent yet, to each recipient's Slack user (found by email,
 * see slackUserIdOf); what failed, or null when nothing did. Skipped without a failure, as no
 * retry would change them: an organization with no Slack app with a bot token, a person Slack
 * knows nobody by, and Slack's final refusals (finalSlackRefusal) — a refused token skips the
 * remaining recipients too, a vanished Slack user is forgotten so the next notification asks again.
 */
async function sendSlackMessages<D extends Delivery>(
  db: Database,
  handler: string,
  options: NotificationHandlerOptions,
  event: DomainEvent,
  deliveries: readonly D[],
  content: DeliveryContent<D>,
): Promise<string | null> {
  const wanted = deliveries.filter((d) => d.channels.slack);
  if (wanted.length === 0 || !options.slack) return null;
  const { organizationId } = event;
  let slack: SlackDirectMessages | null;
  let links: SlackUserLinks;
  try {
    slack = await options.slack(organizationId);
    if (!slack) return null;
    links = await loadSlackUserLinks(
      db,
      organizationId,
      wanted.map((d) => d.userId),
    );
  } catch (error) {
    options.logger?.warn({ eventId: event.id, reason: describeError(error) }, "could not open the Slack app");
    return `the Slack app for event ${event.id} could not be opened`;
  }
  let failed = 0;
  for (const delivery of wanted) {
    const outcome = await sendSlackMessage(db, slack, handler, options, event, delivery, content, links);
    if (outcome === "failed") failed++;
    if (outcome === "token_refused") break;
  }
  return failed > 0
    ? `${failed} of ${wanted.length} Slack notifications for event ${event.id} could not be sent`
    : null;
}

/** One recipient's Slack message, inside its own `applyOnce`; what came of it (errors are logged here). */
async function sendSlackMessage<D extends Delivery>(
  db: Database,
  slack: SlackDirectMessages,
  handler: string,
  options: NotificationHandlerOptions,
  event: DomainEvent,
  delivery: D,
  content: DeliveryContent<D>,
  links: SlackUserLinks,
): Promise<"sent" | "skipped" | "failed" | "token_refused"> {
  const { organizationId } = event;
  const log = { eventId: event.id, userId: delivery.userId, type: delivery.type };
  try {
    const slackUserId = await slackUserIdOf(db, slack, organizationId, delivery, links.get(delivery.userId));
    if (slackUserId === null) return "skipped";
    const inApp = content.inApp(delivery);
    const message = slackMessageOf({ ...inApp, url: webUrl(options.webBaseUrl, inApp.link) });
    await applyOnce(db, `${handler}:slack:${delivery.userId}`, event, async () => {
      await slack.postMessage(slackUserId, message.text, message.blocks);
    });
    return "sent";
  } catch (error) {
    const refusal = finalSlackRefusal(error);
    if (!refusal) {
      options.logger?.warn({ ...log, reason: describeError(error) }, "could not send a Slack notification");
      return "failed";
    }
    options.logger?.warn({ ...log, reason: refusal.slackError }, "Slack refused a notification for good; skipped");
    if (refusal.scope === "token") return "token_refused";
    try {
      await forgetSlackUser(db, organizationId, delivery.userId);
      return "skipped";
    } catch (forgetting) {
      // Kept, the link would be refused on every later notification: retry until it is forgotten.
      options.logger?.warn({ ...log, reason: describeError(forgetting) }, "could not forget a Slack user");
      return "failed";
    }
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
