import type { DomainEvent, EventData } from "@devflow/contracts";
import type { Database, Tx } from "@devflow/db";
import type { EventHandler } from "@devflow/events";
import {
  deliverNotifications,
  excerptOf,
  webUrl,
  withChannels,
  type Delivery,
  type NotificationHandlerOptions,
} from "./notification-delivery";
import { failedJobEmail } from "./notification-email";
import * as repo from "./notifications.repository";

/** The handler's name: its queue, and the key of its idempotency markers. Renaming it starts a new queue. */
export const FAILED_JOB_NOTIFICATION_HANDLER = "notifications.job-failed";

export type FailedJobNotificationHandlerOptions = NotificationHandlerOptions;

interface FailedJobPlan {
  deliveries: Delivery[];
  organizationName: string;
  orgSlug: string;
  /** The organization's failed jobs on the web app, stored on the notification. */
  link: string;
}

/**
 * Tells an organization's admins and owners (active members) that a background job gave up
 * (`job.failed`, recorded by createDeadLetterRecorder when the bus dead-letters an event): which
 * handler, on which event, after how many attempts and why, with a link to the failed jobs, where
 * they can retry it. Each through the channels they chose; once per event whatever the bus
 * redelivers (see deliverNotifications).
 */
export function createFailedJobNotificationHandler(
  db: Database,
  options: FailedJobNotificationHandlerOptions,
): EventHandler<"job.failed"> {
  return {
    name: FAILED_JOB_NOTIFICATION_HANDLER,
    type: "job.failed",
    async handle(event) {
      const plan = await db.withTenant({ organizationId: event.organizationId }, (tx) => planDeliveries(tx, event));
      if (!plan) return;
      const summary = describeFailedJob(event.data);
      const error = event.data.error === null ? null : excerptOf(event.data.error);
      await deliverNotifications(db, FAILED_JOB_NOTIFICATION_HANDLER, options, event, plan.deliveries, {
        inApp: () => ({
          title: summary,
          body: error ?? "",
          link: plan.link,
          payload: {
            eventId: event.id,
            handler: event.data.handler,
            failedEventId: event.data.eventId,
            failedEventType: event.data.eventType,
          },
        }),
        email: () =>
          failedJobEmail({
            organizationName: plan.organizationName,
            summary,
            error,
            failedJobsUrl: webUrl(options.webBaseUrl, plan.link),
            preferencesUrl: webUrl(options.webBaseUrl, `/${plan.orgSlug}/settings/notifications`),
          }),
      });
    },
  };
}

/** "notifications.comment-created failed on comment.created after 5 attempts" */
export function describeFailedJob(data: Pick<EventData<"job.failed">, "handler" | "eventType" | "attempts">): string {
  const attempts = `${data.attempts} attempt${data.attempts === 1 ? "" : "s"}`;
  return `${data.handler} failed on ${data.eventType} after ${attempts}`;
}

/** The admins and owners to tell, through their channels, under the organization; null when nobody. */
async function planDeliveries(tx: Tx, event: DomainEvent<"job.failed">): Promise<FailedJobPlan | null> {
  const organization = await repo.findOrganization(tx, event.organizationId);
  if (!organization) return null;
  const admins = await repo.findActiveAdmins(tx, event.organizationId);
  const deliveries = await withChannels(
    tx,
    admins.map((admin) => ({ userId: admin.user.id, type: "job.failed" as const, email: admin.user.email })),
  );
  if (deliveries.length === 0) return null;
  return {
    deliveries,
    organizationName: organization.name,
    orgSlug: organization.slug,
    link: `/${organization.slug}/settings/integrations`,
  };
}
