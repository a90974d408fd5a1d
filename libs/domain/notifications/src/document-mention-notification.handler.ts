import { can, type RequestContext } from "@devflow/auth";
import type { DomainEvent } from "@devflow/contracts";
import type { Database, Tx } from "@devflow/db";
import { loadVisibleProject } from "@devflow/domain-projects";
import type { EventHandler } from "@devflow/events";
import { isAppError } from "@devflow/util-core";
import * as mentions from "./document-mention.repository";
import { mentionExcerpt } from "./mention-excerpt";
import {
  deliverNotifications,
  webUrl,
  withChannels,
  type Delivery,
  type NotificationHandlerOptions,
} from "./notification-delivery";
import { documentMentionEmail } from "./notification-email";
import * as repo from "./notifications.repository";

/** The handler's name: its queue, and the key of its idempotency markers. Renaming it starts a new queue. */
export const DOCUMENT_MENTION_NOTIFICATION_HANDLER = "notifications.document-mentioned";

export type DocumentMentionNotificationHandlerOptions = NotificationHandlerOptions;

/** One person to tell, with the lines around their mention. */
type MentionDelivery = Delivery & { excerpt: string };

interface MentionPlan {
  deliveries: MentionDelivery[];
  authorName: string;
  documentTitle: string;
  /** Path on the web app, stored on the notification. */
  link: string;
  orgSlug: string;
}

/**
 * Tells the people an edit @mentioned in a document's text (`document.mentioned`, recorded by the
 * documents domain once an op inserting the tokens was durable) — "Ada mentioned you in “Plan”",
 * quoting the words around the mention and linking to the document. Only active members who can
 * still read the document when the event is handled, never the author; each through the channels
 * they chose; once per event whatever the bus redelivers (see deliverNotifications).
 */
export function createDocumentMentionNotificationHandler(
  db: Database,
  options: DocumentMentionNotificationHandlerOptions,
): EventHandler<"document.mentioned"> {
  return {
    name: DOCUMENT_MENTION_NOTIFICATION_HANDLER,
    type: "document.mentioned",
    async handle(event) {
      const plan = await db.withTenant({ organizationId: event.organizationId }, (tx) => planDeliveries(tx, event));
      if (!plan) return;
      const title = `${plan.authorName} mentioned you in “${plan.documentTitle}”`;
      await deliverNotifications(db, DOCUMENT_MENTION_NOTIFICATION_HANDLER, options, event, plan.deliveries, {
        inApp: (delivery) => ({
          title,
          body: delivery.excerpt,
          link: plan.link,
          payload: { eventId: event.id, documentId: event.data.documentId, actorId: event.data.mentionedById },
        }),
        email: (delivery) =>
          documentMentionEmail({
            authorName: plan.authorName,
            documentTitle: plan.documentTitle,
            excerpt: delivery.excerpt,
            documentUrl: webUrl(options.webBaseUrl, plan.link),
            preferencesUrl: webUrl(options.webBaseUrl, `/${plan.orgSlug}/settings/notifications`),
          }),
      });
    },
  };
}

/**
 * Reads what the notifications need, under the organization: the document (gone or archived →
 * nobody is told), who may still read it and through which channels, and each one's excerpt (the
 * document's title when their mention was deleted meanwhile). Null when there is nothing to do.
 */
async function planDeliveries(tx: Tx, event: DomainEvent<"document.mentioned">): Promise<MentionPlan | null> {
  const { data, organizationId } = event;
  const document = await mentions.findDocumentHeading(tx, data.documentId);
  const orgSlug = await repo.findOrganizationSlug(tx, organizationId);
  if (!document || document.archivedAt !== null || !orgSlug) return null;

  const readers = await whoCanRead(
    tx,
    event,
    document.projectId,
    data.userIds.filter((id) => id !== data.mentionedById),
  );
  const recipients = await withChannels(
    tx,
    [...readers].map(([userId, email]) => ({ userId, email, type: "document.mentioned" as const })),
  );
  if (recipients.length === 0) return null;
  const deliveries: MentionDelivery[] = [];
  for (const recipient of recipients) {
    const window = await mentions.findMentionWindow(tx, data.documentId, recipient.userId);
    deliveries.push({ ...recipient, excerpt: (window && mentionExcerpt(window, recipient.userId)) || document.title });
  }
  return {
    deliveries,
    authorName: (await repo.findUserName(tx, data.mentionedById)) ?? "Someone",
    documentTitle: document.title,
    link: `/${orgSlug}/documents/${data.documentId}`,
    orgSlug,
  };
}

/** The people who are active members and may read the document's project now, with their email address. */
async function whoCanRead(
  tx: Tx,
  event: DomainEvent<"document.mentioned">,
  projectId: string,
  userIds: readonly string[],
): Promise<Map<string, string>> {
  const readers = new Map<string, string>();
  for (const member of await repo.findActiveMembers(tx, event.organizationId, userIds)) {
    const ctx: RequestContext = {
      organizationId: event.organizationId,
      actor: { userId: member.user.id, role: member.role },
      requestId: `event:${event.id}`,
    };
    if (can(ctx.actor, "document:read") && (await canSeeProject(tx, ctx, projectId))) {
      readers.set(member.user.id, member.user.email);
    }
  }
  return readers;
}

async function canSeeProject(tx: Tx, ctx: RequestContext, projectId: string): Promise<boolean> {
  try {
    await loadVisibleProject(tx, ctx, projectId);
    return true;
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") return false;
    throw error;
  }
}
