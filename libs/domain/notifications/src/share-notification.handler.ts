import { can, type RequestContext } from "@devflow/auth";
import type { DomainEvent } from "@devflow/contracts";
import type { Database, Tx } from "@devflow/db";
import { loadVisibleProject } from "@devflow/domain-projects";
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
import { projectSharedEmail } from "./notification-email";
import * as repo from "./notifications.repository";
import { selectShareRecipients } from "./recipients";

/** The handler's name: its queue, and the key of its idempotency markers. Renaming it starts a new queue. */
export const SHARE_NOTIFICATION_HANDLER = "notifications.project-shared";

export type ShareNotificationHandlerOptions = NotificationHandlerOptions;

interface SharePlan {
  deliveries: Delivery[];
  sharerName: string;
  projectName: string;
  description: string;
  /** The project on the web app, stored on the notification. */
  link: string;
  orgSlug: string;
}

/**
 * Tells the people a private project was just shared with (`project.shared`, recorded by the
 * projects domain with the grant: only those who could not see the project before, never the
 * person who shared it) — "Ada shared “Payments” with you", linking to the project. Only active
 * members who can still see the project when the event is handled; each through the channels
 * they chose; once per event whatever the bus redelivers (see deliverNotifications).
 */
export function createShareNotificationHandler(
  db: Database,
  options: ShareNotificationHandlerOptions,
): EventHandler<"project.shared"> {
  return {
    name: SHARE_NOTIFICATION_HANDLER,
    type: "project.shared",
    async handle(event) {
      const plan = await db.withTenant({ organizationId: event.organizationId }, (tx) => planDeliveries(tx, event));
      if (!plan) return;
      const title = `${plan.sharerName} shared “${plan.projectName}” with you`;
      await deliverNotifications(db, SHARE_NOTIFICATION_HANDLER, options, event, plan.deliveries, {
        inApp: () => ({
          title,
          body: plan.description,
          link: plan.link,
          payload: { eventId: event.id, projectId: event.data.projectId, actorId: event.data.sharedById },
        }),
        email: () =>
          projectSharedEmail({
            sharerName: plan.sharerName,
            projectName: plan.projectName,
            description: plan.description,
            projectUrl: webUrl(options.webBaseUrl, plan.link),
            preferencesUrl: webUrl(options.webBaseUrl, `/${plan.orgSlug}/settings/notifications`),
          }),
      });
    },
  };
}

/**
 * Reads what the notifications need, under the organization: the project (gone → nobody is
 * told), who to tell and through which channels. Null when there is nothing to do.
 */
async function planDeliveries(tx: Tx, event: DomainEvent<"project.shared">): Promise<SharePlan | null> {
  const { data, organizationId } = event;
  const project = await repo.findProject(tx, data.projectId);
  const orgSlug = await repo.findOrganizationSlug(tx, organizationId);
  if (!project || !orgSlug) return null;
  const members = await repo.findActiveMembers(tx, organizationId, selectShareRecipients(data));
  const recipients: Omit<Delivery, "channels">[] = [];
  for (const member of members) {
    const ctx: RequestContext = {
      organizationId,
      actor: { userId: member.user.id, role: member.role },
      requestId: `event:${event.id}`,
    };
    if (await canSeeProject(tx, ctx, data.projectId)) {
      recipients.push({ userId: member.user.id, type: "project.shared", email: member.user.email });
    }
  }
  const deliveries = await withChannels(tx, recipients);
  if (deliveries.length === 0) return null;
  return {
    deliveries,
    sharerName: (await repo.findUserName(tx, data.sharedById)) ?? "Someone",
    projectName: project.name,
    description: excerptOf(project.description),
    link: `/${orgSlug}/projects/${project.id}`,
    orgSlug,
  };
}

/** Whether the person may see the project now: taken off its list since, they are not told. */
async function canSeeProject(tx: Tx, ctx: RequestContext, projectId: string): Promise<boolean> {
  if (!can(ctx.actor, "project:read")) return false;
  try {
    await loadVisibleProject(tx, ctx, projectId);
    return true;
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") return false;
    throw error;
  }
}
